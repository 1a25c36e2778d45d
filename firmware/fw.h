// SPDX-License-Identifier: MIT
/*
 * fw.h: the firmware's internal interfaces, grouped by the file that
 * implements them. main.c reads as the pipeline that calls them.
 */
#ifndef PVHFW_FW_H
#define PVHFW_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../acpi/acpi.h"
#include "../elfload/elf.h"
#include "../lib/view.h"
#include "../linux/bzimage.h"
#include "../memmap/memmap.h"
#include "../multiboot/multiboot.h"
#include "../pvh/pvh.h"
#include "io.h"

#define FW_VERSION "0.1.0"

/* What the way in (PVH, EFI) hands to the common pipeline. */
#define BOOT_MAX_MODULES PVH_MAX_MODULES
#define BOOT_CMDLINE_MAX PVH_CMDLINE_MAX
/* A bundle's cmdline entry, fw_cfg's opt/pvhfw/cmdline: bytes with the NUL. */
#define BOOT_EXTRA_CMDLINE_MAX 4096

struct boot_module {
	uint64_t paddr;
	uint64_t size;
	const char *name; /* the module's string, "" when none */
};

struct boot_info {
	bool announced;	    /* the way in printed the banner already (EFI) */
	const char *origin; /* where the payload came from, for the log */
	char cmdline[BOOT_CMDLINE_MAX]; /* the firmware's whole command line */
	uint64_t rsdp_hint; /* where the VMM says the RSDP is, or 0 */
	/* When the hint's RSDP would lie in the firmware's own memory
	 * [start, end): not read, warned about, the BIOS areas scanned. */
	struct {
		uint64_t start, end;
	} rsdp_hint_in_fw;
	/* The RSDP found (length 0: none), kept clear by everything the
	 * firmware places (load.c's busy ranges). */
	uint64_t rsdp_addr;
	uint32_t rsdp_len;
	struct memmap memmap; /* normalised */
	uint32_t nmods;
	struct boot_module mod[BOOT_MAX_MODULES];
	/* A bundle's cmdline entry, whose words were appended to the command
	 * line: measured and recorded with the modules (name NULL: none). */
	struct boot_module words;
};

/*
 * The way in: platform_pvh.c or efi/platform_efi.c, the Makefile links one
 * (no #ifdef). Everything else asks these functions what differs.
 */
/* Copies what the way in found (PVH: validates start_info first) into bi;
 * stops on error. (EFI: before ExitBootServices, with the memory map as it
 * then is; fw_main_efi replaces it with the final one.) */
void platform_collect(struct boot_info *bi, uint64_t start_info);
/* The way in's log line on what it found (at fw.loglevel=info). */
void platform_report(void);
/* True when the image runs linked high, through a page-table window, and
 * can therefore move to other physical memory (PVH); false for an image
 * that runs where it was loaded, identity-mapped (EFI). */
bool platform_can_move(void);
/* True when the page tables the firmware runs on identity-map [0, end)
 * and are its own (part of its image, so nothing is loaded over them). */
bool platform_maps(uint64_t end);
/* Where the image is linked to run (virt), where it is loaded (phys) and
 * its size with the bss, at entry. */
void platform_image(uint64_t *virt, uint64_t *phys, uint64_t *size);
/* The firmware's other memory until the jump, or size 0: PVH the boot part
 * below the image (from 1 MiB), EFI its stack and early page tables. */
void platform_owned(uint64_t *phys, uint64_t *size);
/* Called by fw_stop before it halts: EFI returns to the shell while boot
 * services run; PVH does nothing. */
void platform_stop(void);
/* The EFI state for a Multiboot 2 kernel's EFI tags (system table, memory
 * map as GetMemoryMap gave it at ExitBootServices): true on EFI, false and
 * nothing written on PVH. */
bool platform_mb2_efi(struct mb2_efi *efi);

/* main.c: the pipeline. */
/* The PVH way in's: everything from the console to the jump. */
void fw_main(uint64_t start_info, uint64_t tsc0);
/* The EFI way in's, while boot services run, after its files are read:
 * platform_collect (with the memory map as it is now), the options, and,
 * unless fw_cfg has the payload (its files need the final map), the
 * payload found, measured and planned; every error is a stop while EFI can
 * still take it. */
void fw_main_efi_early(void);
/* The EFI way in's after ExitBootServices, on the firmware's stack: the
 * rest of fw_main, with the final memory map (a struct memmap * as an
 * integer). */
void fw_main_efi(uint64_t memmap, uint64_t tsc0);

/* options.c: the fw. words of the command line. */
/* quiet (the default): errors and warnings; brief: also one line when the
 * payload is started, and the digests of fw.measure; info: a line per
 * stage; debug: more. */
enum fw_loglevel { LOG_QUIET = 0, LOG_BRIEF, LOG_INFO, LOG_DEBUG };
enum fw_panic { PANIC_HALT = 0, PANIC_EXIT, PANIC_POWEROFF };

struct fw_options {
	enum fw_loglevel loglevel;
	unsigned console; /* CONSOLE_* mask */
	enum fw_panic panic;
	uint16_t exit_port; /* isa-debug-exit port for fw.panic=exit */
	bool help;
	int selftest;	  /* fw.selftest=: SELFTEST_* */
	int protocol;	  /* fw.protocol=: enum payload_kind, 0 = detect */
	int measure;	  /* fw.measure=: print the SHA-256 of what is booted */
	int record;	  /* fw.record=: hand the payload a boot record */
	bool pin_payload; /* fw.sha256= given */
	uint8_t payload_sha256[32];
	uint32_t npins; /* fw.module.N.sha256= given */
	struct {
		uint32_t module;
		uint8_t sha256[32];
	} pin[8];
	uint16_t bootmarks; /* fw.bootmarks=: I/O port for stage codes, 0 off */
};

/*
 * Stage codes written to the fw.bootmarks= port, in Cloud Hypervisor's
 * firmware range (0x00-0x1f) of its debug port 0x80, which logs the time
 * of each write.
 */
enum bootmark {
	MARK_OPTIONS = 0x01, /* start_info copied, options read */
	MARK_MEMMAP = 0x02,  /* memory map normalised, ACPI found */
	MARK_PAYLOAD = 0x03, /* payload found and measured */
	MARK_PLANNED = 0x04, /* protocol and load plan known */
	MARK_PLACED = 0x05,  /* memory placed, page tables switched */
	MARK_LOADED = 0x06,  /* segments copied */
	MARK_JUMP = 0x07,    /* handoff built; the next instruction is the
				jump into the payload */
};

enum fw_selftest { SELFTEST_NONE = 0, SELFTEST_TRAP };

extern struct fw_options fw_opt;

/*
 * Applies the fw. words of line (warning about unknown ones) and writes the
 * payload's words to payload (cap bytes). Stops when they do not fit.
 */
void options_parse(const char *line, char *payload, size_t cap);
/* Applies only fw.panic=, fw.console= and fw.loglevel= of line, silently,
 * and selects the console (scratch: cap bytes for the other words). */
void options_early(const char *line, char *scratch, size_t cap);
void options_help(void);
/* Applies the fw. words of words and appends the others to payload; from
 * NULL for the VMM's words, else the module that carried them ("bundle"),
 * which may not set pins, fw.measure or fw.record. */
void options_append(const char *words, const char *from, char *payload,
		    size_t cap);
/* The fw. words in effect, in order, for the boot record. */
const char *options_used(void);

/* measure.c: SHA-256 of the payload and modules, pins, the boot record. */
/* Hashes mod[0] (the payload), the modules and a bundle's cmdline entry
 * (bi->words), prints the digests and stops on a pinned digest that
 * differs. */
void measure(const struct boot_info *bi);
/* Bytes of the boot record (0 unless fw.record=on). */
uint64_t measure_record_size(const struct boot_info *bi);
/* The boot record's module string, when it goes as a module. */
#define RECORD_NAME "pvhfw-boot-record"
/* Writes the boot record at `at`; returns its size (0: none). */
uint64_t measure_record(const struct boot_info *bi, uint8_t *at, uint64_t cap);

/* source.c: fw_cfg, a bundle, or module 0 itself (see the file). */
void source_select(struct boot_info *bi, char *cmdline, size_t cap);
/* Whether QEMU's fw_cfg has opt/pvhfw/kernel, the payload source that takes
 * precedence over every other (its selector and size in *sel, *size). */
bool source_fwcfg_kernel(uint16_t *sel, uint32_t *size);

/* log.c: the boot log and the one fatal path. */
void time_init(uint64_t tsc0);
uint64_t time_us(void);
/* True when CPUID stated the TSC rate (times need no PM timer). */
bool time_rate_known(void);
/* The ACPI PM timer at port (24 or 32 bits) to take the TSC rate from,
 * when CPUID did not state it. Reads it once; never waits. */
void time_use_pmtimer(uint16_t port, bool is32);
/* "fw: <module>: <message> (<time>)". */
void log_line(const char *module, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* log_line when fw.loglevel= is level or more. The level is checked before
 * the arguments are evaluated: a quiet boot computes nothing it would not
 * print (memory map totals, type names). */
#define log_at(level, ...)                                                     \
	do {                                                                   \
		if (fw_opt.loglevel >= (level))                                \
			log_line(__VA_ARGS__);                                 \
	} while (0)
#define log_brief(...) log_at(LOG_BRIEF, __VA_ARGS__)
#define log_info(...) log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)
/* "fw: <module>: warning: <message>", at every level. */
void log_warn(const char *module, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "fw: <module>: <message>" and stops as fw.panic= says. */
__attribute__((noreturn, format(printf, 2, 3))) void
fw_fatal(const char *module, const char *fmt, ...);
__attribute__((noreturn)) void fw_stop(void);
/* Writes code to the fw.bootmarks= port, if one is set. */
INLINE void bootmark(enum bootmark code)
{
	if (fw_opt.bootmarks)
		outb(fw_opt.bootmarks, (uint8_t)code);
}

/* power.c: ACPI poweroff and the PM timer. */
/* Reads the FADT: calibrates the TSC on the PM timer when its rate is not
 * known, and plans the poweroff fw.panic=poweroff will do. */
void power_setup(const struct acpi_rsdp *rsdp);
/* With the normalised map: a plan through a sleep control register in
 * memory is taken only when that register is not RAM (else a warning). */
void power_check(const struct memmap *mm);
/* Powers off as planned; returns when there is no plan or it failed. */
void power_off(void);

/* cpu.c: GDT, IDT and traps, paging, the FPU/SSE reset. */
void cpu_init(void);
bool cpu_has_1g_pages(void);
/* Bytes of page tables cpu_paging_build needs to identity-map [0, end). */
uint64_t cpu_paging_size(uint64_t end);
/*
 * Builds page tables at physical address at (zeroed here, identity-mapped
 * now): identity map of [0, end) and the firmware's window to img_phys.
 * Returns the CR3 value. end is at most 2^47, the lower half that one
 * PML4 page below the window's entry maps (load.c refuses RAM beyond it,
 * the EFI entry maps no further: memmap_efi_map_end).
 */
uint64_t cpu_paging_build(uint64_t at, uint64_t end, uint64_t img_phys);
/* Moves the firmware image to new_phys (or not, when equal) and loads cr3. */
void cpu_move_and_switch(uint64_t cr3, uint64_t new_phys);
uint64_t cpu_image_phys(void);
/* The firmware's own memory, [*start, *end): the image and, when they lie
 * below it, what else the platform owns (platform_owned). */
void cpu_fw_range(uint64_t *start, uint64_t *end);
/* The physical address of firmware data (in the image) at p. */
uint64_t cpu_virt_to_phys(const volatile void *p);
uint64_t cpu_image_size(void);
/* Sets the FPU/SSE state the firmware and its payloads run with (SSE on;
 * CR0, CR4 and XCR0 once, at cpu_init) and resets the vector registers. */
void cpu_fpu_reset(void);
/* The one place that sets the CPU state every payload gets beyond its
 * protocol's registers: FPU/SSE, vector and x87 data registers, LDTR,
 * debug registers, CR8, CR2, PAT and the SYSCALL/SYSENTER MSRs. */
void cpu_handoff_reset(void);
/*
 * Writes the GDT payloads get (null, code32 0x08, code64 0x10, data 0x18,
 * a 32-bit TSS 0x20 with base 0 and limit 0x67, zero to 0x2F so that it is
 * also a whole 16-byte long-mode TSS descriptor; GDTR limit 0x2F) at `at`
 * (physical at_phys) and its 10-byte descriptor at desc. CPU_GDT_SIZE
 * bytes.
 */
#define CPU_GDT_SIZE 48
void cpu_write_gdt(uint8_t *at, uint64_t at_phys, uint8_t *desc);

/* The whole of physical memory the firmware can reach (identity map). */
extern struct view phys;

static inline void *phys_ptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

/* payload.c: find the payload, tell its protocol, plan its loading. */
enum payload_kind {
	PAYLOAD_AUTO = 0, /* fw.protocol= not given */
	PAYLOAD_ELF64,
	PAYLOAD_PVH,
	PAYLOAD_LINUX,
	PAYLOAD_MB1,
	PAYLOAD_MB2,
};

/* One piece of the payload: file bytes to copy, then bytes to zero. */
struct load_seg {
	uint64_t dest;	 /* physical */
	uint64_t src;	 /* offset in the payload file */
	uint64_t filesz; /* bytes copied */
	uint64_t memsz;	 /* bytes the payload owns from dest (busy) */
	bool zero;	 /* zero [filesz, memsz) */
};

#define PAYLOAD_MAX_SEGS ELF_MAX_LOAD

struct payload {
	enum payload_kind kind;
	const char *name; /* "elf64", "pvh", "linux", ... */
	uint64_t file;	  /* physical address of the image (module 0) */
	uint64_t file_size;
	struct elf_info elf;
	struct bzimage_info bz;
	struct mb_plan mb;
	uint32_t nseg;
	struct load_seg seg[PAYLOAD_MAX_SEGS];
	uint64_t entry;
	uint32_t first_module; /* modules from here on go to the payload */
};

const char *payload_kind_name(enum payload_kind kind);

static inline bool payload_is_multiboot(const struct payload *p)
{
	return p->kind == PAYLOAD_MB1 || p->kind == PAYLOAD_MB2;
}
/* PVH and Multiboot kernels start in 32-bit protected mode without paging
 * (through the trampoline): no page tables or boot_params of their own, and
 * nothing above 4 GiB in reach (load_prepare keeps their modules below). */
static inline bool payload_starts_unpaged(const struct payload *p)
{
	return p->kind == PAYLOAD_PVH || payload_is_multiboot(p);
}
/* Linux: a bzImage, or an ELF with Linux's notes (its vmlinux). */
static inline bool payload_is_linux(const struct payload *p)
{
	return p->kind == PAYLOAD_LINUX ||
	       ((p->kind == PAYLOAD_PVH || p->kind == PAYLOAD_ELF64) &&
		p->elf.linux_note);
}
/* A PVH kernel with a PHYS32_RELOC note or a Multiboot 2 kernel with the
 * relocatable tag: load_prepare may move it within the limits it gives. */
static inline bool payload_relocatable(const struct payload *p)
{
	return (p->kind == PAYLOAD_PVH && p->elf.pvh_reloc) ||
	       (p->kind == PAYLOAD_MB2 && p->mb.relocatable);
}
/*
 * A new place for a relocatable kernel (payload_relocatable) within the
 * limits it gives, outside busy (where it is added as what): the
 * PHYS32_RELOC note's alignment, minimum start and maximum end; the
 * Multiboot 2 tag's alignment, limits and preference (lowest, else
 * highest), never below 1 MiB. pvhfw-inspect asks the same.
 */
enum memmap_err payload_reloc_alloc(const struct memmap *mm,
				    struct memmap_busy *busy,
				    const struct payload *p, const char *what,
				    uint64_t *at);
void payload_select(const struct boot_info *bi, struct payload *p);
void payload_plan(const struct boot_info *bi, struct payload *p);
/* strlen(cmdline); stops when the payload cannot take that many bytes (a
 * bzImage's cmdline_size). */
size_t payload_check_cmdline(const struct payload *p, const char *cmdline);
/* The optional Multiboot 2 information this boot can give p (EFI's, the
 * RSDP's, the load base) in *x; stops when p, a Multiboot 2 kernel,
 * requires an information tag that is not among it; warns when the kernel
 * has header tag 7 under EFI (boot services are gone). With h (may be NULL),
 * EFI's memory map (tag 17) shows the handoff area, the kernel's extent
 * and the nmods modules as EfiLoaderData where it says free memory. */
struct handoff_area;
void payload_mb2_extra(const struct payload *p, const struct acpi_rsdp *rsdp,
		       const struct handoff_area *h,
		       const struct mb_module *mods, uint32_t nmods,
		       struct mb2_extra *x);
/*
 * The most bytes p's Multiboot information can take at handoff (0 for other
 * payloads), for the area load_prepare sets aside: the builder's own size
 * for this boot's memory map, command line, modules handed on (with the
 * boot record when `record`), RSDP and EFI state, plus what grows before
 * the build: two more map entries (the handoff area's reservation) and
 * the "kernel " before the command line.
 */
uint64_t payload_mbi_size(const struct boot_info *bi, const struct payload *p,
			  const char *cmdline, const struct acpi_rsdp *rsdp,
			  bool record);

/* Memory for what the payload keeps after the jump. */
struct handoff_area {
	uint64_t base; /* physical, below 4 GiB */
	uint64_t size;
	uint64_t stack_top;
	uint64_t gdt; /* 48-byte GDT, then its 10-byte descriptor */
	uint64_t pagetables;
	uint64_t start_info;
	uint64_t start_info_size;
	uint64_t boot_params; /* 4 KiB zero page */
	uint64_t cmdline;
	uint64_t trampoline; /* the PVH trampoline's copy */
	uint64_t record;     /* the boot record (fw.record=on), or 0 */
	uint64_t record_size;
	uint64_t mbi; /* Multiboot information */
	uint64_t mbi_size;
	uint64_t setup_data; /* Linux E820_EXT node, or 0 */
	uint64_t setup_data_size;
};

/* Starts a busy list with the firmware (image and what the platform keeps
 * for it) and every module of bi; stops when it cannot. */
void load_busy_begin(const struct boot_info *bi, struct memmap_busy *b);
void load_prepare(struct boot_info *bi, struct payload *p,
		  struct handoff_area *h, const char *cmdline,
		  const struct acpi_rsdp *rsdp);
void load_segments(const struct payload *p);

/* handoff.c: build what the payload's protocol wants and jump. */
__attribute__((noreturn)) void handoff(const struct boot_info *bi,
				       const struct payload *p,
				       const struct handoff_area *h,
				       const char *cmdline,
				       const struct acpi_rsdp *rsdp);

/* cpu_asm.asm */
void cpu_switch(uint64_t cr3, uint64_t dst, uint64_t src, uint64_t len);
__attribute__((noreturn)) void cpu_enter64(uint64_t entry, uint64_t rsp,
					   uint64_t rdi_rbx, uint64_t rsi,
					   uint64_t gdt_desc);
extern const char pvh_tramp_start[], pvh_tramp_end[];
typedef void (*pvh_tramp_fn)(uint64_t ebx, uint64_t gdt_desc, uint64_t eax,
			     uint64_t stack);

#endif
