#!/usr/bin/env bash
# Installs what the WebGPU suites (test/webgpu*.test.ts) need beyond `npm ci` on a machine without
# a GPU: Debian's chromium package, whose SwiftShader Vulkan driver
# (/usr/lib/chromium/vk_swiftshader_icd.json) gives the `webgpu` npm package (Dawn for Node, a
# devDependency) a software adapter; libvulkan1, the Vulkan loader; and mesa-vulkan-drivers, whose
# lavapipe driver serves Deno's built-in WebGPU (test/webgpu-deno.test.ts runs the suites there
# too). The Node tests point VK_ICD_FILENAMES at SwiftShader's manifest when it is unset.
# Idempotent and quiet: does nothing when all are installed, and prints one line. Run before
# `npm test` in CI (as root, or with sudo).
set -euo pipefail

ICD=/usr/lib/chromium/vk_swiftshader_icd.json
LVP=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json
if [ ! -f "$ICD" ] || [ ! -f "$LVP" ] || ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium libvulkan1 mesa-vulkan-drivers; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-webgpu: apt-get install chromium libvulkan1 mesa-vulkan-drivers failed" >&2
    exit 1
  fi
  rm -f "$log"
fi
if [ ! -f "$ICD" ]; then
  echo "install-webgpu: $ICD is missing after installing chromium" >&2
  exit 1
fi
echo "install-webgpu: SwiftShader at $ICD ($(/usr/bin/chromium --version 2>/dev/null | head -n1)); lavapipe at $LVP"
