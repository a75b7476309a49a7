"""The hosted set-up: nginx in front of N app instances and PostgreSQL (deploy/README.md)."""
