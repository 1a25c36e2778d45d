# SPDX-License-Identifier: MIT
# pvhfw: out-of-tree build into build/. `make help` lists the targets.

MAKEFLAGS += -rR --no-print-directory
.SUFFIXES:
.DEFAULT_GOAL := all

B := build
CC := gcc
LD := ld
NASM := nasm
# $(call nasm,FLAGS): assemble $< into $@ and write its dependencies to the
# .d beside it. The dependencies come from a separate -M pass: NASM
# 2.16.01's -MD, while assembling, leaves out the %include files.
nasm = $(NASM) $(1) -M -MF $(@:.o=.d) -MT $@ -MP $< && $(NASM) $(1) -o $@ $<
QEMU := qemu-system-x86_64

ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# Portable modules: no port I/O, no asm; built for the firmware and the host.
LIB_SRCS := lib/fmt.c lib/cmdline.c memmap/memmap.c memmap/efi.c elfload/elf.c \
	acpi/acpi.c pvh/pvh.c linux/linux.c linux/bzimage.c bundle/bundle.c
LIB_SRCS += multiboot/multiboot.c multiboot/mbinfo.c
LIB_SRCS += crypto/sha256.c crypto/sha256_ni.c
FW_SRCS := $(wildcard firmware/*.c) firmware/libc/string.c $(LIB_SRCS)
FW_ASMS := firmware/entry_pvh.asm firmware/cpu_asm.asm

FW_CFLAGS := -std=c11 -Os -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Ifirmware/libc -Ifirmware -fno-stack-protector -fno-pie -mno-red-zone \
	-mgeneral-regs-only -mcmodel=kernel -fno-asynchronous-unwind-tables \
	-fno-delete-null-pointer-checks -fcf-protection=none -fno-common \
	-ffunction-sections -fdata-sections -ffile-prefix-map=$(CURDIR)=. -MMD -MP
FW_LDFLAGS := --no-warn-rwx-segments --build-id=none -z max-page-size=4096 \
	-z noexecstack --gc-sections
comma := ,
space := $(subst ,, )
# Link-time optimisation for fw.elf: code run once is what costs under an
# emulator (docs/performance.md), and whole-program inlining removes calls,
# returns and spills between the parsers and the firmware. Fat objects keep
# the plain code too, for scripts/size's per-module map. The libc stays out:
# the compiler's own memcpy/memset calls must find real functions.
FW_LTO := -flto=auto -ffat-lto-objects

FW_OBJS := $(FW_SRCS:%.c=$(B)/fw/%.o) $(FW_ASMS:%.asm=$(B)/fw/%.o)

HOST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -Wall -Wextra -Werror -I. \
	-MMD -MP
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
UNIT_SRCS := $(LIB_SRCS) $(filter-out tests/unit/bench_%.c,$(wildcard tests/unit/*.c))

.PHONY: all help deps payloads unit unit-san check boot-tests boot-mutate run \
	clean size \
	fuzz fuzz-regress bench-sha256 format-check vmm-tests efi efi-tests \
	run-efi inspect inspect-tests repro-check bundle-tests payload-checks

FUZZ_SECONDS ?= 10

all: $(B)/fw.elf

help:
	@echo "pvhfw make targets:"
	@echo "  all (default)  build build/fw.elf"
	@echo "  run            boot fw.elf in QEMU with the bundled demo payload"
	@echo "  check          every test: format, unit (plain, ASan/UBSan), the test"
	@echo "                 payloads' own logic, fuzz seeds, mkbundle, pvhfw-inspect,"
	@echo "                 QEMU boot tests, boot mutation, EFI tests, KVM launcher tests"
	@echo "  unit           the Check unit tests only"
	@echo "  unit-san       the Check unit tests under ASan and UBSan"
	@echo "  payload-checks the test payloads' checks (abicheck, pvhcheck, mbcheck)"
	@echo "                 run on the host against known-good and broken inputs"
	@echo "  boot-tests     the QEMU boot tests only (TESTS=name-pattern to filter)"
	@echo "  boot-mutate    boot MUTANTS (200) damaged payloads through fw.elf: each"
	@echo "                 must be handed over or refused with its error line, never"
	@echo "                 trap or hang (MUTATE_SEED=n for other mutants,"
	@echo "                 MUTATE_MACHINE=q35|pc MUTATE_MEM=5G for another VM; in check)"
	@echo "  vmm-tests      fw.elf under Cloud Hypervisor's and Firecracker's handoff (KVM;"
	@echo "                 TESTS=relaunch- boot tests recreate both under TCG)"
	@echo "  inspect        build build/pvhfw-inspect: which protocol fw.elf would"
	@echo "                 boot a payload with, and where its segments go"
	@echo "  inspect-tests  pvhfw-inspect against the firmware's own verdicts"
	@echo "  efi            build build/fw.efi (GNU-EFI application)"
	@echo "  efi-tests      boot fw.efi from an ESP image under OVMF (q35, TCG)"
	@echo "  run-efi        boot fw.efi under OVMF with the demo payload"
	@echo "  payloads       the test and demo payloads in build/payloads/"
	@echo "  format-check   every C file as .clang-format says (part of check)"
	@echo "  repro-check    fw.elf and fw.efi name no directory of this checkout, so"
	@echo "                 they are the same bytes from any path (part of check)"
	@echo "  fuzz           run every libFuzzer target FUZZ_SECONDS each (default 10)"
	@echo "  fuzz-regress   run every fuzz seed and saved crash once (part of check)"
	@echo "  bundle-tests   scripts/mkbundle's bundles read back: each module on a 4 KiB"
	@echo "                 boundary, the firmware's name, cmdline and 32-file limits (part of check)"
	@echo "  size           fw.elf's loaded bytes against the 64 KiB budget, and per module"
	@echo "  deps           install missing Debian packages (scripts/deps.sh)"
	@echo "  bench-sha256   SHA-256 (portable, SHA-NI) and memcpy speed on 64 MiB"
	@echo "  clean          remove build/"
	@echo "Variables: V=1 full commands; QEMU=path; MACHINE=microvm|pc|q35, MEM,"
	@echo "  APPEND, ACCEL=tcg|kvm for run; TESTS=pattern, JOBS=n for boot-tests."
	@echo "Benchmark: scripts/bench [--quick|--tiny] (ROUNDS=n); scripts/tcg-cost (what TCG"
	@echo "  charges per block of code run once, and fw.elf's cost in host"
	@echo "  instructions with valgrind); docs/performance.md."

deps:
	$(Q)scripts/deps.sh

$(B)/cpu_defs.inc: firmware/cpu_defs.h
	$(call say,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -n 's/^#define \([A-Z0-9_]*\) \(.*\)$$/%define \1 \2/p' $< > $@

$(B)/fw/%.o: %.c Makefile
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FW_CFLAGS) $(if $(filter firmware/libc/%,$<),,$(FW_LTO)) \
		-c $< -o $@

$(B)/fw/%.o: %.asm $(B)/cpu_defs.inc
	$(call say,NASM,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(call nasm,-f elf64 -Werror -I$(B)/)

$(B)/fw.elf: $(FW_OBJS) firmware/fw.ld
	$(call say,LD,$@)
	$(Q)$(CC) $(FW_CFLAGS) $(FW_LTO) -nostdlib -static \
		-Wl,$(subst $(space),$(comma),$(strip $(FW_LDFLAGS))) \
		-T firmware/fw.ld -o $@ $(FW_OBJS)

# build/fw.efi: the same sources with the EFI way in (firmware/efi/) in
# place of the PVH one, linked by GNU-EFI's recipe into a PE32+ application:
# position-independent code, an ELF shared object whose dynamic relocations
# crt0's _relocate applies, then objcopy to efi-app-x86_64.
EFI_LIB := /usr/lib
EFI_INC := /usr/include/efi
EFI_SRCS := $(filter-out firmware/platform_pvh.c,$(wildcard firmware/*.c)) \
	$(wildcard firmware/efi/*.c) firmware/libc/string.c $(LIB_SRCS)
EFI_ASMS := firmware/cpu_asm.asm firmware/efi/efi_asm.asm
EFI_CFLAGS := $(filter-out -fno-pie -mcmodel=kernel -fdata-sections,$(FW_CFLAGS)) \
	-fpic -fshort-wchar -fvisibility=hidden -DGNU_EFI_USE_MS_ABI \
	-isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64
EFI_OBJS := $(EFI_SRCS:%.c=$(B)/efi/%.o) $(EFI_ASMS:%.asm=$(B)/efi/%.o)

$(B)/efi/%.o: %.c
	$(call say,EFICC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(B)/efi/%.o: %.asm $(B)/cpu_defs.inc
	$(call say,NASM,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(call nasm,-f elf64 -Werror -I$(B)/)

$(B)/fw-efi.so: $(EFI_OBJS)
	$(call say,LD,$@)
	$(Q)$(LD) -nostdlib -znocombreloc -T $(EFI_LIB)/elf_x86_64_efi.lds \
		-shared -Bsymbolic --no-undefined --build-id=none -z noexecstack -o $@ \
		$(EFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) -L$(EFI_LIB) -lgnuefi

$(B)/fw.efi: $(B)/fw-efi.so
	$(call say,OBJCOPY,$@)
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target=efi-app-x86_64 --subsystem=10 $< $@

efi: $(B)/fw.efi

$(B)/host/%.o: %.c
	$(call say,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(shell pkg-config --cflags check 2>/dev/null) -c $< -o $@

$(B)/host-san/%.o: %.c
	$(call say,SANCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) $(shell pkg-config --cflags check 2>/dev/null) -c $< -o $@

# pvhfw-inspect: the firmware's payload and option code on the host.
INSPECT_SRCS := tools/pvhfw-inspect.c firmware/payload.c firmware/options.c \
	firmware/source.c firmware/measure.c $(LIB_SRCS)
$(B)/pvhfw-inspect: $(INSPECT_SRCS:%.c=$(B)/host/%.o)
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $^

inspect: $(B)/pvhfw-inspect

inspect-tests: all payloads $(B)/pvhfw-inspect
	$(Q)QEMU=$(QEMU) tests/inspect/run.sh

$(B)/unit-tests: $(UNIT_SRCS:%.c=$(B)/host/%.o)
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $^ $(CHECK_LIBS)

$(B)/unit-tests-san: $(UNIT_SRCS:%.c=$(B)/host-san/%.o)
	$(call say,LINK,$@)
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS)

unit: $(B)/unit-tests
	$(Q)echo "unit tests (plain):"
	$(Q)CK_VERBOSITY=normal $(B)/unit-tests

unit-san: $(B)/unit-tests-san
	$(Q)echo "unit tests (ASan + UBSan):"
	$(Q)CK_VERBOSITY=normal $(B)/unit-tests-san

payloads:
	$(Q)$(MAKE) -C tests/payloads O=$(abspath $(B)/payloads) V=$(V)

# The checks the test payloads make, on the host: a payload's verdict is
# only worth what its checks are.
payload-checks:
	$(Q)$(MAKE) -C tests/payloads O=$(abspath $(B)/payloads) V=$(V) host-check

boot-tests: all payloads
	$(Q)QEMU=$(QEMU) tests/boot/run.sh

MUTANTS ?= 200
MUTATE_SEED ?= 1
MUTATE_MACHINE ?= microvm
MUTATE_MEM ?= 256M
boot-mutate: all payloads
	$(Q)QEMU=$(QEMU) MUTATE_MACHINE=$(MUTATE_MACHINE) MUTATE_MEM=$(MUTATE_MEM) \
		tests/boot/mutate.sh $(MUTANTS) $(MUTATE_SEED)

efi-tests: all efi payloads
	$(Q)QEMU=$(QEMU) tests/efi/run.sh

# fw.efi with the demo payload on an ESP, under OVMF (q35, TCG).
run-efi: deps
	$(Q)$(MAKE) efi payloads
	$(Q)mkdir -p $(B)/run-efi
	$(Q)scripts/mkesp -o $(B)/run-efi/esp.img -c "fw.panic=exit hello from EFI" \
		$(B)/payloads/demo.elf='\pvhfw\kernel'
	$(Q)cp /usr/share/OVMF/OVMF_VARS_4M.fd $(B)/run-efi/vars.fd
	$(Q)$(QEMU) -M q35 -m 512M -nic none -display none -monitor none \
		-serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive if=pflash,format=raw,file=$(B)/run-efi/vars.fd \
		-drive format=raw,file=$(B)/run-efi/esp.img; \
		st=$$?; [ $$st = 33 ] || [ $$st = 0 ] || exit $$st

vmm-tests: all payloads
	$(Q)$(MAKE) -C tests/vmm O=$(abspath $(B)/vmm) V=$(V)
	$(Q)tests/vmm/run.sh

check: deps
	$(Q)$(MAKE) format-check
	$(Q)$(MAKE) all payloads $(B)/unit-tests $(B)/unit-tests-san
	$(Q)$(MAKE) repro-check
	$(Q)$(MAKE) unit
	$(Q)$(MAKE) unit-san
	$(Q)$(MAKE) payload-checks
	$(Q)$(MAKE) fuzz-regress
	$(Q)$(MAKE) bundle-tests
	$(Q)$(MAKE) inspect-tests
	$(Q)$(MAKE) boot-tests
	$(Q)$(MAKE) boot-mutate
	$(Q)$(MAKE) efi-tests
	$(Q)$(MAKE) vmm-tests

# Every C file as .clang-format wants it (clang-format 14, Debian's).
format-check:
	$(Q)bad=$$(for f in $$(git ls-files '*.c' '*.h' 2>/dev/null || \
		find . -name '*.[ch]' -not -path './build/*'); do \
		clang-format --dry-run --Werror "$$f" >/dev/null 2>&1 || \
		echo "$$f"; done); \
	if [ -n "$$bad" ]; then echo "format-check: not clang-formatted:" \
		$$bad; echo "format-check: run clang-format -i on them"; exit 1; \
	else echo "format-check: all C files clang-formatted"; fi

# The firmware images are reproducible: the compiler sees paths relative to
# this directory (-ffile-prefix-map), so the same tree and compiler give the
# same bytes in any checkout. A build path left in them (in debug
# information, a file name in an assert) would break that.
repro-check: $(B)/fw.elf $(B)/fw.efi
	$(Q)for f in $^; do \
		if grep -q -a -F "$(CURDIR)" "$$f"; then \
			echo "repro-check: $$f names $(CURDIR)"; exit 1; fi; \
	done; echo "repro-check: fw.elf and fw.efi name no build path"

fuzz:
	$(Q)$(MAKE) -C tests/fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

fuzz-regress:
	$(Q)$(MAKE) -C tests/fuzz regress

bundle-tests:
	$(Q)tests/bundle/mkbundle.sh

run: deps
	$(Q)$(MAKE) all payloads
	$(Q)QEMU=$(QEMU) scripts/run $(B)/payloads/demo.elf

size: $(B)/fw.elf
	$(Q)scripts/size $(B)/fw.elf

# Host benchmark of crypto/sha256; crypto/ built like the firmware's code.
$(B)/bench/%.o: %.c
	$(call say,BENCHCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra -Werror -mgeneral-regs-only -I. \
		-MMD -MP -c $< -o $@

$(B)/bench-sha256: tests/unit/bench_sha256.c $(B)/bench/crypto/sha256.o \
		$(B)/bench/crypto/sha256_ni.o
	$(call say,LINK,$@)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra -Werror -I. -o $@ $^

bench-sha256: $(B)/bench-sha256
	$(Q)$(B)/bench-sha256

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
