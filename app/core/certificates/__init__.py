"""Certificates: Open Badges 3.0 credentials signed with the issuing institution's Ed25519 key, checked
offline on any machine, and the wording of the printable certificate (the PDF itself is drawn outside the
core, in app/ui/certificate_pdf.py).

    didkey.py       an Ed25519 public key as a did:key (the issuer's identity holds its own key)
    proofs.py       Data Integrity proofs, cryptosuite eddsa-jcs-2022 (JCS, RFC 8785, + Ed25519)
    issuer.py       the institution's key pair: created by a trainer or administrator, private key sealed
    sealing.py      scrypt + AES-256-GCM around the private key, with the passphrase the trainer types
    trust.py        institutions' public key files and the trusted_issuers table
    credential.py   a course completion as an OpenBadgeCredential; the verification code
    batch.py        one signed credential file per completion, with progress and cancel
    verify.py       valid / altered / unknown issuer / invalid, with what and where
    sheet.py        the certificate's (or unsigned record's) texts in the learner's language
"""
