#!/usr/bin/python3
"""Independent check of a manifest signature with python3-cryptography (not .NET).

usage: verify_manifest_signature.py PUBLIC_KEY_PEM CANONICAL_BYTES_FILE SIGNATURE_BASE64 KEY_ID
Exits 0 and prints "ok" when the ECDSA P-256 / SHA-256 signature (IEEE P1363 r||s, base64) verifies over the file's
bytes and KEY_ID is the SHA-256 of the key's DER SubjectPublicKeyInfo; exits 1 naming what failed.
"""
import base64
import hashlib
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

pem, data_file, signature_b64, key_id = sys.argv[1:5]
key = serialization.load_pem_public_key(open(pem, "rb").read())
assert isinstance(key.curve, ec.SECP256R1), "not a P-256 key"
spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
if hashlib.sha256(spki).hexdigest() != key_id:
    print("key id mismatch:", hashlib.sha256(spki).hexdigest())
    sys.exit(1)
raw = base64.b64decode(signature_b64)
assert len(raw) == 64, f"P1363 signature of a P-256 key is 64 bytes, got {len(raw)}"
der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
try:
    key.verify(der, open(data_file, "rb").read(), ec.ECDSA(hashes.SHA256()))
except InvalidSignature:
    print("signature does not verify")
    sys.exit(1)
print("ok")
