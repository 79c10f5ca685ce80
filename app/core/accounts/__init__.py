"""Local accounts and roles: who is signed in, what they may do, and how passwords are kept.

passwords.py hashes and checks passwords; roles.py holds roles, the signed-in `Principal` and
`require`; store.py keeps accounts in the database with the lock-out; the kiosk setting lives in
app/core/installation.py. No Qt here: the sign-in and account screens call these.
"""
