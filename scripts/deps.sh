#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deps.sh: install the Debian packages pvhfw's build and tests need, only
# those missing. Needs root (apt-get); without it, prints the command.
set -eu

# what to look for, then the package: a command, lib:<pkg-config name>,
# file:<path> or glob:<pattern>. Debian's kernel and busybox are test
# payloads (tests/boot/prepare.sh).
need=(
	"gcc gcc"
	"make make"
	"ld binutils"
	"nasm nasm"
	"pkg-config pkg-config"
	"qemu-system-x86_64 qemu-system-x86"
	"lib:check check"
	"cpio cpio"
	"gzip gzip"
	"xz xz-utils"
	"zstd zstd"
	"lz4 lz4"
	"file:/bin/busybox busybox-static"
	"glob:/boot/vmlinuz-* linux-image-amd64"
	"glob:/boot/xen-*-amd64.gz xen-hypervisor-4.17-amd64"
	"clang clang"
	"clang-format clang-format"
	"mformat mtools"
	"glob:/usr/lib/crt0-efi-x86_64.o gnu-efi"
	"glob:/usr/share/OVMF/OVMF_CODE_4M.fd ovmf"
	"glob:/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev"
)

missing=()
for item in "${need[@]}"; do
	what=${item% *}
	pkg=${item#* }
	case $what in
	lib:*) pkg-config --exists "${what#lib:}" 2>/dev/null || missing+=("$pkg") ;;
	file:*) [ -x "${what#file:}" ] || missing+=("$pkg") ;;
	glob:*) compgen -G "${what#glob:}" >/dev/null || missing+=("$pkg") ;;
	*) command -v "$what" >/dev/null 2>&1 || missing+=("$pkg") ;;
	esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; run: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
