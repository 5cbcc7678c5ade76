#!/usr/bin/env bash
# Installs (or upgrades) mlrfnet-edge on a clinic box. Run as root from the folder holding the published binary:
#   sudo ./install.sh [publish-folder] [model.onnx] [trusted-keys-folder]
# Model slots: the new model becomes models/mlrfnet.onnx (current) and the one it replaces moves to
# models/previous/mlrfnet.onnx, which the unit names as Inference:FallbackModelPath: if the new model is refused, the
# box runs the previous one and says "degraded" in health.json. Trusted keys (public *.pem + revoked-keys.txt) go to
# /opt/mlrfnet-edge/trusted-keys: from the third argument, else kept from the previous install, else the repository's
# DEMONSTRATION key (models/keys/trusted; never for patients: make your own with `mlrfnet keys new`).
# publish-folder defaults to the folder of this script's parent's artifacts (artifacts/publish/<profile>) or '.'.
# It creates the 'mlrfnet' service user, the folder layout under /var/lib/mlrfnet, installs the binary to
# /opt/mlrfnet-edge, the unit, the GPIO udev rule, then starts the service. Nothing in /var/lib/mlrfnet is removed.
set -euo pipefail

src="${1:-.}"
model="${2:-}"
keys="${3:-}"
[ "$(id -u)" = 0 ] || { echo "run as root (sudo $0 ...)" >&2; exit 1; }
[ -x "$src/mlrfnet-edge" ] || { echo "no mlrfnet-edge binary in '$src': pass the publish folder as the first argument" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"

# Dedicated system user, no login, no home.
getent group gpio >/dev/null || groupadd --system gpio
id mlrfnet >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /var/lib/mlrfnet --shell /usr/sbin/nologin --groups gpio mlrfnet
usermod -aG gpio mlrfnet
# Jetson: the GPU device nodes belong to group video.
getent group video >/dev/null && usermod -aG video mlrfnet

# Folder layout (see deploy/README.md). intake is group-writable so a modality/share user in group mlrfnet can drop files.
install -d -o mlrfnet -g mlrfnet -m 0750 /var/lib/mlrfnet
install -d -o mlrfnet -g mlrfnet -m 2770 /var/lib/mlrfnet/intake
for d in work reports archive quarantine trt-cache outbox dicom-staging; do install -d -o mlrfnet -g mlrfnet -m 0750 "/var/lib/mlrfnet/$d"; done
install -d -m 0755 /etc/mlrfnet
[ -f /etc/mlrfnet/edge.env ] || install -m 0640 -g mlrfnet "$here/edge.env.example" /etc/mlrfnet/edge.env
[ -f /etc/mlrfnet/dicom-receive.env ] || install -m 0640 -g mlrfnet "$here/dicom-receive.env.example" /etc/mlrfnet/dicom-receive.env

# Binary and its files (the previous version is kept as /opt/mlrfnet-edge.previous for a quick rollback).
systemctl stop mlrfnet-edge 2>/dev/null || true
if [ -d /opt/mlrfnet-edge ]; then rm -rf /opt/mlrfnet-edge.previous; mv /opt/mlrfnet-edge /opt/mlrfnet-edge.previous; fi
install -d -m 0755 /opt/mlrfnet-edge /opt/mlrfnet-edge/models
cp -a "$src"/. /opt/mlrfnet-edge/
rm -f /opt/mlrfnet-edge/*.dbg /opt/mlrfnet-edge/*.pdb
old=/opt/mlrfnet-edge.previous
if [ -n "$model" ]; then
  # Slots: the installed model (if any) becomes the previous one, the new one the current one.
  if [ -f "$old/models/mlrfnet.onnx" ]; then
    install -d -m 0755 /opt/mlrfnet-edge/models/previous
    cp -a "$old/models/mlrfnet.onnx" "$old/models/mlrfnet.manifest.json" /opt/mlrfnet-edge/models/previous/
  fi
  install -m 0644 "$model" /opt/mlrfnet-edge/models/mlrfnet.onnx
  install -m 0644 "${model%.onnx}.manifest.json" /opt/mlrfnet-edge/models/mlrfnet.manifest.json
elif [ -f "$old/models/mlrfnet.onnx" ]; then
  cp -a "$old/models/." /opt/mlrfnet-edge/models/
fi
# Trusted public keys for manifest signatures (the service refuses a model not signed by one of them).
install -d -m 0755 /opt/mlrfnet-edge/trusted-keys
if [ -n "$keys" ]; then
  cp "$keys"/*.pem /opt/mlrfnet-edge/trusted-keys/
  [ -f "$keys/revoked-keys.txt" ] && cp "$keys/revoked-keys.txt" /opt/mlrfnet-edge/trusted-keys/
elif [ -d "$old/trusted-keys" ]; then
  cp -a "$old/trusted-keys/." /opt/mlrfnet-edge/trusted-keys/
elif [ -d "$here/../models/keys/trusted" ]; then
  echo "WARNING: no trusted-keys folder given; installing the repository's DEMONSTRATION key (models/keys/trusted)." >&2
  echo "         Its private half is public: make and guard your own key (mlrfnet keys new) for any real deployment." >&2
  cp "$here/../models/keys/trusted"/*.pem /opt/mlrfnet-edge/trusted-keys/
fi
if grep -q -- '-----BEGIN.*PRIVATE KEY' /opt/mlrfnet-edge/trusted-keys/*.pem 2>/dev/null; then
  echo "refusing to install a private key into /opt/mlrfnet-edge/trusted-keys: give only the public halves (*.pub.pem)" >&2; exit 1
fi
[ -f "$here/README.md" ] && install -m 0644 "$here/README.md" /opt/mlrfnet-edge/README.md
chown -R root:root /opt/mlrfnet-edge

install -m 0644 "$here/99-mlrfnet-gpio.rules" /etc/udev/rules.d/99-mlrfnet-gpio.rules
udevadm control --reload-rules 2>/dev/null && udevadm trigger --subsystem-match=gpio 2>/dev/null || true
install -m 0644 "$here/mlrfnet-edge.service" /etc/systemd/system/mlrfnet-edge.service
systemctl daemon-reload
systemctl enable --now mlrfnet-edge
# DICOM network (README "DICOM network"): the receiver when RECEIVE_ENABLED=yes; sending needs only MLRFNET_Pacs__Host.
install -m 0755 "$here/storescp-deliver.sh" /opt/mlrfnet-edge/storescp-deliver.sh
install -m 0644 "$here/mlrfnet-storescp.service" /etc/systemd/system/mlrfnet-storescp.service
systemctl daemon-reload
if grep -qE '^RECEIVE_ENABLED=yes' /etc/mlrfnet/dicom-receive.env; then
  command -v storescp >/dev/null || { echo "RECEIVE_ENABLED=yes needs dcmtk: apt-get install dcmtk" >&2; exit 1; }
  systemctl enable mlrfnet-storescp && systemctl restart mlrfnet-storescp
else
  systemctl disable --now mlrfnet-storescp 2>/dev/null || true
fi
if grep -qE '^MLRFNET_Pacs__Host=.+' /etc/mlrfnet/edge.env && ! command -v dcmsend >/dev/null; then
  echo "MLRFNET_Pacs__Host is set but dcmsend is missing: apt-get install dcmtk (results wait in /var/lib/mlrfnet/outbox)" >&2
fi
sleep 2
systemctl --no-pager status mlrfnet-edge || true
echo "Health: cat /var/lib/mlrfnet/health.json    Log: journalctl -u mlrfnet-edge -f"
echo "(status \"refused\": the model was refused and the service stays stopped, exit 78; \"degraded\": the previous model runs)"
