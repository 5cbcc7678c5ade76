#!/usr/bin/env bash
# Gets a Debian 12 / Ubuntu 22.04 (or newer) machine with the .NET 10 SDK ready for this repository: installs the
# Debian packages the build and the tools need. Idempotent: prints nothing and changes nothing when they are all
# present; otherwise one `apt-get install` (through sudo when not root). tools/run-edge.sh and tools/test.sh run it.
#
#   tools/setup.sh              the build: the TorchSharp native fix (patchelf, a C compiler) and Native AOT publish
#                               (clang, zlib1g-dev): every README command (`mlrfnet synth/train/export/quantize/qa`)
#   tools/setup.sh --test       also the test suite's independent reference tools (tools/test.sh)
#   tools/setup.sh --qa-tools   also the Python modules of tools/qa/*.py (PyTorch, scikit-learn: about 1 GB)
#   tools/setup.sh --dry-run    print the packages that are missing and the command that would install them; exit 1
#                               when something is missing (combine with the switches above)
#
# One line per package: `want PACKAGE CHECK...` adds PACKAGE when the CHECK command fails. Add a package the tests
# need under --test, with a comment saying what uses it.
set -euo pipefail

test=0 qa_tools=0 dry_run=0
for arg in "$@"; do
  case "$arg" in
    --test) test=1 ;;
    --qa-tools) qa_tools=1 ;;
    --dry-run) dry_run=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tools/setup.sh: unknown option '$arg' (use --test, --qa-tools, --dry-run)" >&2; exit 2 ;;
  esac
done

need=()
want() { local package=$1; shift; "$@" >/dev/null 2>&1 || need+=("$package"); }
have() { command -v "$1"; }
python_module() { /usr/bin/python3 -c "import $1"; }   # Debian's python3: the packages below install into it
# Found without importing it (importing torch and torchvision alone takes seconds, on every tools/test.sh run).
python_package() { /usr/bin/python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$1') is None)"; }

# The build. TorchSharp's native wrapper is patched to load on Debian 12 / Ubuntu 22.04 (README "TorchSharp on
# Debian 12 / Ubuntu 22.04", tools/native/torchsharp-native-fix.sh): patchelf and a C compiler (cc).
want patchelf have patchelf
want gcc have cc
# Native AOT publish of the edge service (README "For field engineers"; tools/test.sh smoke-tests it).
want clang have clang
want zlib1g-dev test -e /usr/include/zlib.h
# The service's JPEG-LS and JPEG 2000 DICOM decoders (README "DICOM"): CharLS and OpenJPEG, called through P/Invoke.
want libcharls2 test -e "/usr/lib/$(uname -m)-linux-gnu/libcharls.so.2"
want libopenjp2-7 test -e "/usr/lib/$(uname -m)-linux-gnu/libopenjp2.so.7"

if [ $test = 1 ]; then
  # python3-onnx: the ONNX checker (onnx.checker.check_model, full_check) validates every exported graph in the tests.
  want python3-onnx python_module onnx
  # python3-cryptography: an independent check of the manifest signatures (ECDSA P-256) the CLI writes.
  want python3-cryptography python_module cryptography
  # dcmtk: dcmdump, the independent DICOM parser that checks the test suite's hand-written DICOM files.
  want dcmtk have dcmdump
  # chromium + chromium-driver: the clinic console's real-browser test (Selenium drives Debian's browser and driver);
  # curl: the console's Native AOT smoke test.
  want chromium test -x /usr/bin/chromium
  want chromium-driver test -x /usr/bin/chromedriver
  want curl have curl
  # Compressed DICOM references: gdcmconv (GDCM) compresses a real X-ray to JPEG 2000 in the scoring test;
  # python3-pydicom computes the LUT references.
  want libgdcm-tools have gdcmconv
  want python3-pydicom python_module pydicom
  # The SR and Secondary Capture results: dciodvfy (dicom3tools) checks them against the IODs; dcmtk's dsrdump reads
  # the SR; Orthanc is the PACS of tools/pacs-roundtrip.sh (with dcmtk's storescp/storescu/dcmsend/dcmcjpeg).
  want dicom3tools have dciodvfy
  want orthanc test -x /usr/sbin/Orthanc
  # python3-torch + python3-torchvision: the full-size Res2Net-50 / ResNet-50 parity fixtures that tools/test.sh
  # generates (tools/full-parity-fixtures.sh; torchvision's resnet50 is the independent reference).
  want python3-torch python_package torch
  want python3-torchvision python_package torchvision
fi

if [ $qa_tools = 1 ]; then
  # tools/qa/score_gaps.py (numpy) and tools/qa/int8_probe.py (PyTorch, ONNX, Pillow, scikit-learn).
  want python3-numpy python_module numpy
  want python3-onnx python_module onnx
  want python3-torch python_module torch
  want python3-pil python_module PIL
  want python3-sklearn python_module sklearn
fi

[ ${#need[@]} -gt 0 ] || exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo=sudo
  if [ $dry_run = 0 ] && ! command -v sudo >/dev/null; then
    echo "tools/setup.sh: missing ${need[*]}; run this script as root (or install them: apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
command=($sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}")
if [ $dry_run = 1 ]; then
  echo "missing: ${need[*]}"
  echo "would run: ${sudo:+$sudo }apt-get update -q && ${command[*]}"
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "tools/setup.sh: missing ${need[*]} (Debian package names) and this system has no apt-get; install the equivalents with its package manager" >&2
  exit 1
fi
echo "tools/setup.sh: installing ${need[*]}"
$sudo apt-get update -q
"${command[@]}"
