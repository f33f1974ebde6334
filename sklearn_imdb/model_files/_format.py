"""The model file's container: bounded zip members, JSON with tuples, signatures.

What :func:`~sklearn_imdb.save_model` stores goes through here: member names,
count and sizes are bounded and never more than a member's declared size is
decompressed; JSON nesting is bounded; parameters are encoded with the rule
in :func:`encode`; arrays are ``.npy`` read with ``allow_pickle=False``.
"""

import hashlib
import hmac
import io
import json
import re
import struct
import zipfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = [
    "decode",
    "encode",
    "load_npy",
    "loads",
    "npy",
    "plain",
    "read_members",
    "write_members",
]

_MAX_MEMBER_BYTES = 1 << 30
_MAX_TOTAL_BYTES = 2 << 30
_MAX_MEMBERS = 256
_MAX_DEPTH = 16  # of a stored parameter value
# members are flat names that this module writes: no folders, no "..", no "/"
_MEMBER_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")


def write_members(file, members, key=None):
    """Write ``members`` as a zip with their checksums (and signature).

    Parameters
    ----------
    file : file object
        Opened for binary writing.
    members : dict of str to bytes
        The members.
    key : bytes, str or None, default=None
        Sign the checksums with HMAC-SHA256 under this key.
    """
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    members = {**members, "checksums.json": json.dumps(digests, indent=1).encode()}
    if key is not None:
        members["signature"] = sign(key, members["checksums.json"])
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            # float weights hardly compress (nb-net: 72 MB to 63 MB) and
            # inflating them took 0.33 s of a 1.8 s load: large members are
            # stored as they are (nb-net's 5 MB of terms: 25 ms saved, 3 MB
            # more on disk)
            stored = len(data) > 1 << 20
            zf.writestr(name, data, zipfile.ZIP_STORED if stored else None)


def read_members(path, key=None):
    """The members of a model zip, checked: names, count, sizes, checksums.

    Parameters
    ----------
    path : path-like
        The file.
    key : bytes, str or None, default=None
        If given, the file must carry a signature that verifies with it.

    Returns
    -------
    members : dict of str to bytes or memoryview
        Every member but the checksums and the signature.
    """
    members, digests = _read_zip(path)
    checksums = members.pop("checksums.json")
    signature = members.pop("signature", None)
    if key is not None:
        if signature is None:
            raise ValueError("it is not signed, but a key was given")
        if not hmac.compare_digest(signature, sign(key, checksums)):
            raise ValueError("its signature does not verify with this key")
    stored = loads(checksums)
    if set(stored) != set(members) or any(
        digests[name] != stored[name] for name in members
    ):
        raise ValueError("checksums do not match the content")
    return members


def _read_zip(path):
    """The members of a zip, with bounded names, count and sizes, and their SHA-256."""
    members, digests = {}, {}
    total = 0
    with (
        zipfile.ZipFile(path) as zf,
        open(path, "rb") as raw,
        ThreadPoolExecutor(1) as hasher,
    ):
        infos = zf.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise ValueError(f"it has {len(infos)} members")
        for info in infos:
            if not _MEMBER_NAME.fullmatch(info.filename) or info.filename in members:
                raise ValueError(f"member name {info.filename!r} is not allowed")
            total += info.file_size
            if info.file_size > _MAX_MEMBER_BYTES or total > _MAX_TOTAL_BYTES:
                raise ValueError(f"member {info.filename} is too large")
            digest = hashlib.sha256()
            if info.compress_type == zipfile.ZIP_STORED:
                data = _stored_member(raw, info, digest, hasher)
            else:
                # never more than the declared size is decompressed (zip bombs)
                with zf.open(info) as f:
                    data = f.read(info.file_size + 1)
                hasher.submit(digest.update, data)
            if len(data) != info.file_size:
                raise ValueError(f"member {info.filename} is not its declared size")
            members[info.filename] = data
            digests[info.filename] = digest
    # the hasher has finished (leaving the ``with`` waits for it)
    return members, {name: d.hexdigest() for name, d in digests.items()}


#: bytes read (and then hashed, while the next are read) at a time
_CHUNK = 4 << 20


def _stored_member(raw, info, digest, hasher):
    """A stored member's bytes (a memoryview), read from the file and hashed meanwhile.

    zipfile's reader computes the member's CRC as it reads (20 ms of nb-net's
    64 MB kernel); the SHA-256 that ``read_members`` checks covers the same
    bytes. Measured on nb-net's 78 MB file: ``read()`` then hashing took 91
    ms; reading into an uninitialised buffer (``bytearray`` zeroes its memory
    first: 45 ms) 19 ms, and hashing each chunk in ``hasher``'s thread (it
    releases the GIL) while the next is read, 46 ms for both. Never more than
    the declared size is read.
    """
    raw.seek(info.header_offset)
    header = raw.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader:
        raise ValueError(f"member {info.filename} has no local header")
    header = struct.unpack(zipfile.structFileHeader, header)
    if header[0] != zipfile.stringFileHeader:
        raise ValueError(f"member {info.filename} has no local header")
    raw.seek(header[10] + header[11], 1)  # the name and the extra field
    data = memoryview(np.empty(info.file_size, dtype=np.uint8))
    for start in range(0, len(data), _CHUNK):
        read = raw.readinto(data[start : start + _CHUNK])
        hasher.submit(digest.update, data[start : start + read])
        if start + read < min(start + _CHUNK, len(data)):  # the file ends early
            return data[: start + read]
    return data


def loads(data):
    """JSON from a member's bytes (or a memoryview of them)."""
    try:
        return json.loads(bytes(data))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def sign(key, checksums):
    key = key.encode() if isinstance(key, str) else bytes(key)
    return hmac.new(key, checksums, hashlib.sha256).hexdigest().encode()


def encode(value, depth=0):
    """A parameter value as JSON, tuples and non-string keys tagged."""
    if depth > _MAX_DEPTH:
        raise TypeError("nested too deeply")
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: encode(v, depth + 1) for k, v in value.items()}
        return {
            "__items__": [
                [encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()
            ]
        }
    if isinstance(value, np.generic):
        return value.item()
    json.dumps(value)  # TypeError for anything JSON cannot hold
    return value


def decode(value, depth=0):
    """The inverse of :func:`encode`."""
    if depth > _MAX_DEPTH:
        raise ValueError("a parameter is nested too deeply")
    if isinstance(value, list):
        return [decode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(decode(v, depth + 1) for v in value["__tuple__"])
        if set(value) == {"__items__"}:
            return {
                _hashable(decode(k, depth + 1)): decode(v, depth + 1)
                for k, v in value["__items__"]
            }
        return {k: decode(v, depth + 1) for k, v in value.items()}
    return value


def _hashable(key):
    if isinstance(key, (list, dict)):
        raise ValueError("a parameter has an unhashable dict key")
    return key


def plain(array):
    """Object arrays (string labels) as fixed-width strings: no pickle needed."""
    array = np.asarray(array)
    return array.astype(str) if array.dtype == object else array


_MAX_NPY_HEADER = 10000  # numpy's default


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


def load_npy(data):
    """The array of ``.npy`` bytes, without pickle and without a copy.

    ``np.load`` copies the bytes; a view of them saved the copy
    of nb-net's 64 MB kernel when loading (``benchmarks/bench_serve.py``).
    """
    # the header is at most numpy's ``max_header_size`` after magic and length
    # (BytesIO would copy a whole bytearray)
    f = io.BytesIO(bytes(memoryview(data)[: 16 + _MAX_NPY_HEADER]))
    version = np.lib.format.read_magic(f)
    read_header = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    shape, fortran_order, dtype = read_header(f, max_header_size=_MAX_NPY_HEADER)
    if dtype.hasobject:
        raise ValueError("Object arrays cannot be loaded when allow_pickle=False")
    count = int(np.prod(shape, dtype=np.int64))
    array = np.frombuffer(data, dtype=dtype, count=count, offset=f.tell())
    return array.reshape(shape, order="F" if fortran_order else "C")
