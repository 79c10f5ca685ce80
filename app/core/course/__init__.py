"""Course packages: the v1 format (courses/README.md), its loader, quizzes and translations."""
