#!/usr/bin/env bash
# Makes TorchSharp's native wrapper libLibTorchSharp.so load on systems whose libstdc++ predates GLIBCXX_3.4.32
# (Debian 12 and Ubuntu 22.04 stop at 3.4.30). TorchSharp 0.107.0 builds that wrapper with GCC 13; libtorch itself
# needs only 3.4.26. The only symbol the wrapper takes from 3.4.32 is std::ios_base_library_init() (check with
# `nm -D libLibTorchSharp.so | grep 3.4.32`), so we:
#   1. build a shim library defining that function (ios_base_library_init_shim.c),
#   2. clear the symbol's version and add the shim as DT_NEEDED (patchelf), so the symbol binds to the shim,
#   3. mark the wrapper's GLIBCXX_3.4.32 requirement weak (elf_weaken_version_need.c), so the loader accepts a
#      libstdc++ without it.
# The wrapper's RUNPATH already holds $ORIGIN/, so the shim is found next to it in the build/publish output.
# Called by build/TorchSharpNativeFix.targets; see README "TorchSharp on Debian 12 / Ubuntu 22.04".
#
#   torchsharp-native-fix.sh check               prints "needed" or "not-needed" (libstdc++ has GLIBCXX_3.4.32)
#   torchsharp-native-fix.sh patch SO OUT_DIR    writes OUT_DIR/libLibTorchSharp.so (patched copy of SO) and the shim
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shim_name=libmlrfnet_ios_base_init_shim.so
symbol=_ZSt21ios_base_library_initv
version=GLIBCXX_3.4.32

system_libstdcxx() {
  local path
  path="$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null) | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')"
  [ -n "$path" ] || path="$( (c++ -print-file-name=libstdc++.so.6 || cc -print-file-name=libstdc++.so.6) 2>/dev/null || true)"
  echo "$path"
}

case "${1:-}" in
  check)
    lib="${TORCHSHARP_FIX_LIBSTDCXX:-$(system_libstdcxx)}"   # override for tests / unusual layouts
    if [ -z "$lib" ] || [ ! -e "$lib" ]; then echo "needed"; exit 0; fi   # unknown: patching is harmless either way
    # The version names are NUL-terminated strings in the library's .dynstr; grep -a finds them without binutils.
    if tr '\0' '\n' < "$lib" | grep -qx "$version"; then echo "not-needed"; else echo "needed"; fi
    ;;
  patch)
    src="${2:?source libLibTorchSharp.so}"; out="${3:?output directory}"
    for tool in patchelf cc; do
      pkg=$tool; [ "$tool" = cc ] && pkg=gcc
      command -v "$tool" >/dev/null || { echo "error: '$tool' is required to make TorchSharp load on this system (libstdc++ lacks $version). Run tools/setup.sh (installs it and the other packages the build needs), or 'sudo apt-get install $pkg'; see README." >&2; exit 1; }
    done
    mkdir -p "$out"
    tmp="$(mktemp -d "$out/.fix.XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
    cc -O2 -shared -fPIC -Wl,-soname,"$shim_name" -o "$tmp/$shim_name" "$here/ios_base_library_init_shim.c"
    cc -O2 -o "$tmp/elf_weaken_version_need" "$here/elf_weaken_version_need.c"
    cp "$src" "$tmp/libLibTorchSharp.so"
    chmod u+w "$tmp/libLibTorchSharp.so"
    patchelf --clear-symbol-version "$symbol" "$tmp/libLibTorchSharp.so"
    patchelf --add-needed "$shim_name" "$tmp/libLibTorchSharp.so"
    "$tmp/elf_weaken_version_need" "$tmp/libLibTorchSharp.so" libstdc++.so.6 "$version"
    mv -f "$tmp/$shim_name" "$out/$shim_name"
    mv -f "$tmp/libLibTorchSharp.so" "$out/libLibTorchSharp.so"
    echo "patched $src -> $out/libLibTorchSharp.so (+ $shim_name)"
    ;;
  *) echo "usage: $0 check | patch SO OUT_DIR" >&2; exit 1 ;;
esac
