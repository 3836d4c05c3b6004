"""Letters as PDF documents: rendering, the local CA, PAdES signing and verification."""
