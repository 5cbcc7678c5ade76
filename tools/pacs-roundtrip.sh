#!/usr/bin/env bash
# PACS round trip of the published clinic-box service, all on loopback: Orthanc (Debian package orthanc) as the
# clinic's PACS, the box's DICOM receiver (dcmtk storescp + deploy/storescp-deliver.sh, as deploy/mlrfnet-storescp.service
# runs it) and the Native AOT service with Pacs:* pointing at Orthanc. A synthetic chest phantom (never a real X-ray),
# JPEG Lossless compressed with dcmcjpeg, is sent to the box with storescu; the script waits until Orthanc's REST API
# shows the SR and the Secondary Capture in the phantom's study. Then Orthanc is stopped, a second study is sent, the
# box must keep its results in the outbox (health.json pacsPending), Orthanc is restarted on the same storage and the
# second study's results must arrive. Exit 0 only when all of that holds; one summary line. Processes are stopped on exit.
#   tools/pacs-roundtrip.sh [publish-folder]   (default artifacts/publish/linux-x64-cpu; tools/test.sh publishes it)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bin="${1:-artifacts/publish/linux-x64-cpu}/mlrfnet-edge"
started=$(date +%s)
fail() { echo "pacs-roundtrip: FAILED: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "no $bin: run dotnet publish src/MLRFNet.Edge -c Release -r linux-x64 -p:PublishProfile=linux-x64-cpu"
for tool in /usr/sbin/Orthanc storescp storescu dcmcjpeg dcmsend curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (tools/setup.sh --test installs orthanc, dcmtk, curl)"
done
/usr/bin/python3 -c "import pydicom, numpy" 2>/dev/null || fail "/usr/bin/python3 lacks pydicom/numpy (apt-get install python3-pydicom)"

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{intake,staging,orthanc-storage,model,outbox}
# Three free loopback ports (Orthanc HTTP, Orthanc DICOM, box storescp).
read -r http_port pacs_port box_port < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')

# Orthanc: HTTP on loopback only (RemoteAccessAllowed false), its own storage; Orthanc 1.10 has no bind address for
# its DICOM port, so it accepts stores only from the registered box (AE MLRFNET at 127.0.0.1, host checked).
cat > "$work/orthanc.json" <<JSON
{
  "Name": "mlrfnet-roundtrip", "StorageDirectory": "$work/orthanc-storage", "IndexDirectory": "$work/orthanc-storage",
  "HttpPort": $http_port, "DicomPort": $pacs_port, "DicomAet": "ORTHANC", "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "HttpServerEnabled": true, "DicomServerEnabled": true,
  "DicomAlwaysAllowStore": false, "DicomAlwaysAllowEcho": false, "DicomCheckModalityHost": true, "DicomCheckCalledAet": true,
  "DicomModalities": { "box": [ "MLRFNET", "127.0.0.1", $box_port ] },
  "Plugins": [], "ConcurrentJobs": 1, "StableAge": 1
}
JSON
orthanc_pid=""
start_orthanc() {
  /usr/sbin/Orthanc "$work/orthanc.json" >> "$work/orthanc.log" 2>&1 &
  orthanc_pid=$!
  pids+=("$orthanc_pid")
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$http_port/system" >/dev/null && return 0
    kill -0 "$orthanc_pid" 2>/dev/null || { tail -20 "$work/orthanc.log"; fail "Orthanc exited at start"; }
    sleep 0.2
  done
  fail "Orthanc did not answer on 127.0.0.1:$http_port within 60 s"
}
stop_orthanc() { kill "$orthanc_pid"; wait "$orthanc_pid" 2>/dev/null || true; }

# The box: storescp writes into staging, storescp-deliver.sh renames each complete file into the intake.
storescp --aetitle MLRFNET +xa --output-directory "$work/staging" --filename-extension .dcm \
  --exec-on-reception "$repo/deploy/storescp-deliver.sh #p #f $work/intake" "$box_port" > "$work/storescp.log" 2>&1 &
pids+=($!)
# The published service with the shipped demo model (signed, as deploy/smoke-aot.sh runs it), results to Orthanc;
# short back-off so the restart is seen quickly.
cp models/chestxray14-demo.onnx models/chestxray14-demo.manifest.json "$work/model/"
"$bin" --Edge:IntakeFolder="$work/intake" --Edge:WorkFolder="$work/work" --Edge:ReportsFolder="$work/reports" \
  --Edge:ArchiveFolder="$work/archive" --Edge:QuarantineFolder="$work/quarantine" --Edge:HealthFile="$work/health.json" \
  --Edge:StableAge=00:00:00.3 --Edge:HealthInterval=00:00:00.5 --Edge:MinFreeDiskMegabytes=0 --Console:Urls= \
  --Inference:ModelPath="$work/model/chestxray14-demo.onnx" --Inference:TrustedKeysFolder="$repo/models/keys/trusted" \
  --Pacs:Host=127.0.0.1 --Pacs:Port="$pacs_port" --Pacs:CalledAeTitle=ORTHANC --Pacs:CallingAeTitle=MLRFNET \
  --Pacs:OutboxFolder="$work/outbox" --Pacs:PollInterval=00:00:00.5 --Pacs:RetryInitial=00:00:01 --Pacs:RetryMax=00:00:02 \
  > "$work/edge.log" 2>&1 &
edge_pid=$!
pids+=("$edge_pid")
start_orthanc

# A synthetic DX chest phantom per study (numpy + pydicom, the independent writer), JPEG Lossless with dcmcjpeg.
phantom() { # study-number
  /usr/bin/python3 - "$work/phantom$1.dcm" "$1" <<'PY'
import sys, numpy as np, pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
out, n = sys.argv[1], int(sys.argv[2])
y, x = np.mgrid[0:512, 0:480]
lungs = np.exp(-(((x - 150) / 70.0) ** 2 + ((y - 250) / 150.0) ** 2)) + np.exp(-(((x - 330) / 70.0) ** 2 + ((y - 250) / 150.0) ** 2))
img = (3000 - 1800 * lungs + 300 * np.sin(y / 9.0 + n) * (lungs > 0.3) + 40 * np.cos(x / 5.0)).clip(0, 4095).astype(np.uint16)
root = "2.25.%d" % (0x6d6c72666e6574000000000000000000 + n * 1000)
ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"
ds.file_meta.MediaStorageSOPInstanceUID = root + "3"
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.SOPClassUID, ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID, ds.SeriesInstanceUID = root + "1", root + "2"
ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "Phantom^Roundtrip%d" % n, "RT%04d" % n, "19800101", "O"
ds.StudyDate, ds.StudyTime, ds.AccessionNumber, ds.StudyID, ds.ReferringPhysicianName = "20261206", "101500", "RT%d" % n, str(n), ""
ds.Modality, ds.BodyPartExamined, ds.ViewPosition, ds.SeriesNumber, ds.InstanceNumber = "DX", "CHEST", "PA", 1, 1
ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.Rows, ds.Columns = 1, "MONOCHROME2", img.shape[0], img.shape[1]
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
ds.PixelData = img.tobytes()
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(out, write_like_original=False)
print(ds.StudyInstanceUID)
PY
}
send_study() { # study-number -> prints the study UID
  local uid
  uid=$(phantom "$1")
  dcmcjpeg "$work/phantom$1.dcm" "$work/phantom$1-jpegll.dcm"   # default: JPEG Lossless, first-order prediction (.70)
  storescu -xs -aet MODALITY -aec MLRFNET 127.0.0.1 "$box_port" "$work/phantom$1-jpegll.dcm" >> "$work/storescu.log" 2>&1 \
    || { tail -n 5 "$work/storescu.log" "$work/storescp.log" >&2; fail "storescu could not send study $1 to the box's storescp"; }
  echo "$uid"
}
# Orthanc's modalities in the study (one per series), via its REST API.
study_modalities() { # study-uid
  local id
  id=$(curl -sf -X POST "http://127.0.0.1:$http_port/tools/lookup" -d "$1" | /usr/bin/python3 -c \
    'import json,sys; r=[x["ID"] for x in json.load(sys.stdin) if x["Type"]=="Study"]; print(r[0] if r else "")') || return 0
  [ -n "$id" ] || return 0
  curl -sf "http://127.0.0.1:$http_port/studies/$id/series" | /usr/bin/python3 -c \
    'import json,sys; print(" ".join(sorted(s["MainDicomTags"].get("Modality","") for s in json.load(sys.stdin))))'
}
wait_for_results() { # study-uid what
  for _ in $(seq 1 600); do
    mods=$(study_modalities "$1" || true)
    [[ " $mods " == *" OT "* && " $mods " == *" SR "* ]] && return 0
    kill -0 "$edge_pid" 2>/dev/null || { tail -30 "$work/edge.log"; fail "the service exited"; }
    sleep 0.2
  done
  tail -30 "$work/edge.log"; fail "$2: Orthanc shows '${mods:-nothing}' in study $1 after 120 s, expected SR and OT (Secondary Capture)"
}
health() { /usr/bin/python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); print(h.get(sys.argv[2]))' "$work/health.json" "$1" 2>/dev/null || echo none; }

uid1=$(send_study 1)
wait_for_results "$uid1" "study 1"
t1=$(( $(date +%s) - started ))

stop_orthanc
uid2=$(send_study 2)
# The box scores it and must keep both results in the outbox while the PACS is down.
for _ in $(seq 1 600); do
  [ "$(health pacsPending)" = 2 ] && [ "$(health pacsLastError)" != None ] && break
  sleep 0.2
done
[ "$(health pacsPending)" = 2 ] || { tail -30 "$work/edge.log"; fail "with Orthanc down health.json says pacsPending=$(health pacsPending), expected 2"; }
start_orthanc
wait_for_results "$uid2" "study 2 after the PACS restart"
[ -n "$(study_modalities "$uid1")" ] || fail "study 1 vanished from Orthanc after its restart"
# Both studies arrived JPEG Lossless (storescp stores as received) and were scored, not quarantined or unsuitable.
[ "$(grep -l '"transferSyntaxUid": "1.2.840.10008.1.2.4.70"' "$work"/reports/*.json | wc -l)" = 2 ] \
  || fail "expected 2 reports of JPEG Lossless inputs: $(ls "$work/reports" "$work/quarantine")"
[ "$(grep -l '"outcome": "scored"' "$work"/reports/*.json | wc -l)" = 2 ] || fail "expected 2 scored reports"
# The service's own SR and SC files: dciodvfy (dicom3tools) finds no error, dsrdump (dcmtk) reads the SR.
if command -v dciodvfy >/dev/null; then
  for f in "$work"/reports/*.dcm; do
    errors=$(dciodvfy "$f" 2>&1 | grep -c '^Error' || true)
    [ "$errors" = 0 ] || { dciodvfy "$f" >&2 || true; fail "dciodvfy: $errors error(s) in $(basename "$f")"; }
  done
else
  echo "pacs-roundtrip: dciodvfy not installed (apt-get install dicom3tools): IOD check of the results skipped" >&2
fi
for f in "$work"/reports/*.sr.dcm; do dsrdump "$f" >/dev/null 2>&1 || fail "dsrdump cannot read $(basename "$f")"; done
[ "$(ls "$work/staging" | wc -l)" = 0 ] || fail "files left in storescp's staging folder: $(ls "$work/staging")"
[ "$(ls "$work/outbox/sent" | wc -l)" = 4 ] || fail "outbox/sent holds $(ls "$work/outbox/sent" | wc -l) files, expected 4 (2 SR + 2 SC)"
echo "pacs-roundtrip OK: JPEG Lossless study -> storescp -> service -> Orthanc SR+SC in ${t1} s; PACS down: 2 results held, delivered after restart; $(( $(date +%s) - started )) s total"
