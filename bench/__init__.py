"""Load benchmark of the LMS API: `make bench` (see bench/README.md)."""
