"""Crypto benchmark: vaultcore streaming against raw secretstream and age, memory, structure rotation.

Run with `make bench-crypto`. Environment:
    BENCH_MIB            size of the random plaintext in MiB (default 256)
    BENCH_REPEATS        repeats per measurement; medians are reported (default 3)
    BENCH_BENEFICIARIES  beneficiaries re-wrapped in the structure rotation (default 10000)

The machine is shared and noisy: every timed step is repeated, the repeats of the streaming
measurements are interleaved (one round of all six per repeat) so drift hits them alike, and the
median is reported. An untimed first round checks every round trip. A benchmark, not a test: it
prints verdicts on the targets and exits 0.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from typing import Callable

import pyrage
from nacl import bindings as sodium

from vaultcore.keys import IdentityKeys
from vaultcore.sharedpart import Epoch, wrap_epoch
from vaultcore.stream import ABYTES, CHUNK_BYTES, StreamDecryptor, StreamEncryptor
from vaultcore.structure import EpochWrap, Generation, rotate_epoch_wraps, unwrap_epoch_for_structure

from machine import cpu_model  # bench/ is the script's folder, first on sys.path

MIB = 1024 * 1024
PLAIN_READ_BYTES = CHUNK_BYTES
SEALED_READ_BYTES = CHUNK_BYTES + ABYTES
STREAM_CONTEXT = {"purpose": "item-content", "item": "bench", "owner": "b1", "revision": 1}
STRUCTURE = "s1"
MANAGER = "m1"

TARGET_VS_SECRETSTREAM = 0.85
TARGET_VS_AGE = 4.0
TARGET_RSS_GROWTH_MIB = 64.0
TARGET_ROTATION_S = 3.0

FileTransform = Callable[[str, str], None]  # (source path, target path)
Schemes = dict[str, tuple[FileTransform, FileTransform]]  # name -> (encrypt, decrypt)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- the six file-to-file transforms -------------------------------------------------------------


def vaultcore_encrypt(key: bytes, source: str, target: str) -> None:
    encryptor = StreamEncryptor(key, STREAM_CONTEXT)
    with open(source, "rb") as plain, open(target, "wb") as sealed:
        sealed.write(encryptor.header)
        while data := plain.read(PLAIN_READ_BYTES):
            sealed.write(encryptor.update(data))
        sealed.write(encryptor.finalize())


def vaultcore_decrypt(key: bytes, source: str, target: str) -> None:
    decryptor = StreamDecryptor(key, STREAM_CONTEXT)
    with open(source, "rb") as sealed, open(target, "wb") as plain:
        while data := sealed.read(SEALED_READ_BYTES):
            plain.write(decryptor.update(data))
        plain.write(decryptor.finalize())


def secretstream_encrypt(key: bytes, source: str, target: str) -> None:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    with open(source, "rb") as plain, open(target, "wb") as sealed:
        sealed.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key))
        chunk = plain.read(PLAIN_READ_BYTES)
        while True:
            following = plain.read(PLAIN_READ_BYTES)
            tag = (
                sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
                if following
                else sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
            )
            sealed.write(sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, None, tag))
            if not following:
                return
            chunk = following


def secretstream_decrypt(key: bytes, source: str, target: str) -> None:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    with open(source, "rb") as sealed, open(target, "wb") as plain:
        ss_header = sealed.read(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES)
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, ss_header, key)
        tag = None
        while data := sealed.read(SEALED_READ_BYTES):
            chunk, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, data, None)
            plain.write(chunk)
    if tag != sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL:
        raise RuntimeError("secretstream ciphertext lacks its FINAL chunk")


def age_encrypt(recipient: pyrage.x25519.Recipient, source: str, target: str) -> None:
    pyrage.encrypt_file(source, target, [recipient])


def age_decrypt(identity: pyrage.x25519.Identity, source: str, target: str) -> None:
    pyrage.decrypt_file(source, target, [identity])


# --- throughput ----------------------------------------------------------------------------------


def write_random_file(path: str, size: int) -> None:
    with open(path, "wb") as out:
        for start in range(0, size, CHUNK_BYTES):
            out.write(os.urandom(min(CHUNK_BYTES, size - start)))


def file_sha256(path: str) -> bytes:
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").digest()


def timed(transform: FileTransform, source: str, target: str) -> float:
    start = time.perf_counter()
    transform(source, target)
    return time.perf_counter() - start


def scheme_transforms() -> Schemes:
    """Each scheme's encrypt and decrypt, its keys already bound."""
    stream_key = os.urandom(32)
    secretstream_key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
    identity = pyrage.x25519.Identity.generate()
    recipient = identity.to_public()
    return {
        "vaultcore": (
            lambda source, target: vaultcore_encrypt(stream_key, source, target),
            lambda source, target: vaultcore_decrypt(stream_key, source, target),
        ),
        "secretstream": (
            lambda source, target: secretstream_encrypt(secretstream_key, source, target),
            lambda source, target: secretstream_decrypt(secretstream_key, source, target),
        ),
        "age": (
            lambda source, target: age_encrypt(recipient, source, target),
            lambda source, target: age_decrypt(identity, source, target),
        ),
    }


def scheme_paths(workdir: str, scheme: str) -> tuple[str, str]:
    """(ciphertext, decrypted plaintext) paths of one scheme."""
    return os.path.join(workdir, f"{scheme}.sealed"), os.path.join(workdir, f"{scheme}.opened")


def check_round_trips(transforms: Schemes, workdir: str, plain: str) -> None:
    """Untimed first round: each scheme's round trip must give the plaintext back.

    It also creates each scheme's own output files, so every timed run overwrites files of its own
    scheme: on this machine (ext4 on a shared VM) overwriting a big file another step had just
    written cost up to 0.5 s of kernel time, always charged to whichever step came next.
    """
    plain_digest = file_sha256(plain)
    for scheme, (encrypt, decrypt) in transforms.items():
        sealed, opened = scheme_paths(workdir, scheme)
        encrypt(plain, sealed)
        decrypt(sealed, opened)
        if file_sha256(opened) != plain_digest:
            raise RuntimeError(f"{scheme} round trip changed the data")


def measure_throughput(workdir: str, plain: str, size: int, repeats: int) -> dict[str, float]:
    """Median MiB/s per '<scheme>_<encrypt|decrypt>', repeats interleaved across schemes."""
    transforms = scheme_transforms()
    check_round_trips(transforms, workdir, plain)
    seconds: dict[str, list[float]] = {}
    for _ in range(repeats):
        for scheme, (encrypt, decrypt) in transforms.items():
            sealed, opened = scheme_paths(workdir, scheme)
            seconds.setdefault(f"{scheme}_encrypt", []).append(timed(encrypt, plain, sealed))
            seconds.setdefault(f"{scheme}_decrypt", []).append(timed(decrypt, sealed, opened))
    return {name: size / MIB / statistics.median(runs) for name, runs in seconds.items()}


def throughput_ratio(mibps: dict[str, float], scheme: str, baseline: str) -> float:
    return min(mibps[f"{scheme}_{way}"] / mibps[f"{baseline}_{way}"] for way in ("encrypt", "decrypt"))


# --- peak RSS while streaming --------------------------------------------------------------------


def max_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def rss_probe(plain: str) -> None:
    """Child process: print max RSS after warm-up and after a vaultcore encrypt+decrypt of `plain`."""
    key = os.urandom(32)
    with tempfile.TemporaryDirectory() as workdir:
        warm_up = os.path.join(workdir, "warm-up.bin")
        sealed = os.path.join(workdir, "sealed.bin")
        opened = os.path.join(workdir, "opened.bin")
        write_random_file(warm_up, MIB)
        vaultcore_encrypt(key, warm_up, sealed)
        vaultcore_decrypt(key, sealed, opened)
        print(f"baseline_KiB={max_rss_kib()}")
        vaultcore_encrypt(key, plain, sealed)
        vaultcore_decrypt(key, sealed, opened)
        print(f"peak_KiB={max_rss_kib()}")


def run_rss_probe(plain: str) -> tuple[float, float]:
    """(baseline MiB, growth MiB) of a fresh interpreter streaming `plain` through vaultcore."""
    output = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--rss-probe", plain],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = dict(line.split("=", 1) for line in output.split())
    baseline_kib, peak_kib = int(figures["baseline_KiB"]), int(figures["peak_KiB"])
    return baseline_kib / 1024, (peak_kib - baseline_kib) / 1024


def measure_stream_rss(plain: str, repeats: int) -> tuple[float, float]:
    baselines, growths = zip(*(run_rss_probe(plain) for _ in range(repeats)))
    return statistics.median(baselines), statistics.median(growths)


# --- structure rotation --------------------------------------------------------------------------


def wrapped_epochs(generation: Generation, count: int, manager: IdentityKeys) -> tuple[list[Epoch], list[EpochWrap]]:
    epochs = [Epoch.first(f"b{i}") for i in range(count)]
    wraps = [
        EpochWrap(
            epoch.owner,
            epoch.number,
            wrap_epoch(epoch, STRUCTURE, generation.number, generation.keys.public, MANAGER, manager),
            MANAGER,
            manager.verify_key,
        )
        for epoch in epochs
    ]
    return epochs, wraps


def check_rotated(new: Generation, epochs: list[Epoch], rotated: list[tuple[EpochWrap, bytes]]) -> None:
    """Open the first, middle and last re-wrapped epochs with the new generation."""
    for index in sorted({0, len(rotated) // 2, len(rotated) - 1}):
        stored, blob = rotated[index]
        rewrapped = EpochWrap(stored.owner, stored.epoch, blob, stored.signer, stored.signer_verify_key)
        if unwrap_epoch_for_structure(new, rewrapped) != epochs[index]:
            raise RuntimeError(f"re-wrapped epoch of {stored.owner} does not open to its key")


def measure_rotation(beneficiaries: int, repeats: int) -> tuple[float, int]:
    """(median seconds, wraps produced) for a generation 1 -> 2 rotation."""
    manager = IdentityKeys.generate()
    old = Generation.new(STRUCTURE, 1)
    epochs, wraps = wrapped_epochs(old, beneficiaries, manager)
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        new = Generation.new(STRUCTURE, 2)
        rotated = list(rotate_epoch_wraps(old, new, wraps, MANAGER, manager))
        runs.append(time.perf_counter() - start)
        check_rotated(new, epochs, rotated)
    return statistics.median(runs), len(rotated)


# --- report --------------------------------------------------------------------------------------


def print_machine(size_mib: int, repeats: int) -> None:
    print(f"cpu_count={os.cpu_count()}")
    print(f"cpu_usable={len(os.sched_getaffinity(0))}")
    print(f"cpu_model={cpu_model()}")
    print(f"python={platform.python_version()}")
    print(f"pynacl={version('PyNaCl')}")
    print(f"pyrage={version('pyrage')}")
    print(f"data_MiB={size_mib}")
    print(f"repeats={repeats}")
    print("io=temp files; vaultcore and secretstream: 64 KiB plaintext reads, 64 KiB+17 ciphertext reads")
    print("age_io=pyrage.encrypt_file/decrypt_file, file to file, streamed by rage")


def print_targets(verdicts: list[tuple[str, float, bool]]) -> None:
    print("targets:")
    for target, measured, met in verdicts:
        print(f"  {target}: {'met' if met else 'missed'} ({measured:g})")


def main() -> None:
    size_mib = env_int("BENCH_MIB", 256)
    repeats = env_int("BENCH_REPEATS", 3)
    beneficiaries = env_int("BENCH_BENEFICIARIES", 10_000)
    print_machine(size_mib, repeats)

    workdir = tempfile.mkdtemp(prefix="bench-crypto-")
    try:
        plain = os.path.join(workdir, "plain.bin")
        write_random_file(plain, size_mib * MIB)
        mibps = measure_throughput(workdir, plain, size_mib * MIB, repeats)
        rss_baseline, rss_growth = measure_stream_rss(plain, repeats)
    finally:
        shutil.rmtree(workdir)

    for name, value in mibps.items():
        print(f"{name}_MiBps={value:.1f}")
    vs_secretstream = throughput_ratio(mibps, "vaultcore", "secretstream")
    vs_age = throughput_ratio(mibps, "vaultcore", "age")
    print(f"vaultcore_vs_secretstream={vs_secretstream:.3f}")
    print(f"vaultcore_vs_age={vs_age:.3f}")
    print(f"stream_rss_baseline_MiB={rss_baseline:.1f}")
    print(f"stream_peak_rss_growth_MiB={rss_growth:.1f}")
    sys.stdout.flush()

    rotation_s, wraps = measure_rotation(beneficiaries, repeats)
    print(f"structure_rotation_beneficiaries={beneficiaries}")
    print(f"structure_rotation_wraps={wraps}")
    print(f"structure_rotation_s={rotation_s:.3f}")
    print(f"structure_rotation_us_per_beneficiary={rotation_s / beneficiaries * 1e6:.1f}")

    print_targets(
        [
            (
                f"vaultcore_vs_secretstream >= {TARGET_VS_SECRETSTREAM:g}",
                round(vs_secretstream, 3),
                vs_secretstream >= TARGET_VS_SECRETSTREAM,
            ),
            (f"vaultcore_vs_age >= {TARGET_VS_AGE:g}", round(vs_age, 3), vs_age >= TARGET_VS_AGE),
            (
                f"stream_peak_rss_growth_MiB < {TARGET_RSS_GROWTH_MIB:g}",
                round(rss_growth, 1),
                rss_growth < TARGET_RSS_GROWTH_MIB,
            ),
            (f"structure_rotation_s < {TARGET_ROTATION_S:g}", round(rotation_s, 3), rotation_s < TARGET_ROTATION_S),
        ]
    )


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rss-probe", metavar="FILE", help="internal: stream FILE, print max RSS")
    probe_file = arguments.parse_args().rss_probe
    if probe_file:
        rss_probe(probe_file)
    else:
        main()
