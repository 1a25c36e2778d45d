// SPDX-License-Identifier: MIT
/*
 * pvhfw-inspect: what fw.elf would do with a payload, decided on the host by
 * the firmware's own code. firmware/payload.c (detection, the ELF,
 * Multiboot and bzImage rules, the load plan), firmware/options.c (the fw.
 * words) and the portable parsers are linked in unchanged; this file gives
 * them a host underneath (firmware/source.c and measure.c too: bundles,
 * pins and digests): the file in memory as "physical memory", fw_fatal
 * printing the firmware's one-line error and exiting, and the memory map,
 * module address and RSDP of a QEMU machine (q35, pc or microvm) for the
 * checks that need them.
 *
 *   pvhfw-inspect [-M MACHINE] [-m SIZE] [-v] FILE [WORDS...]
 *
 * WORDS are the command line the firmware would get (fw.protocol=,
 * fw.sha256= and the other fw. words apply as at boot). FILE may be a
 * bundle (a cpio with a `kernel` entry): firmware/source.c takes it apart
 * as at boot, with no fw_cfg on the host.
 * Exit status: 0 bootable, 1 the firmware would stop (its message on
 * stderr), 2 usage or I/O error.
 */
#define _GNU_SOURCE /* MAP_FIXED_NOREPLACE */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "../firmware/console.h"
#include "../firmware/fw.h"
#include "../firmware/fwcfg.h"
#include "../linux/bzimage.h"
#include "../linux/linux.h"

#define MIB (1024ull * 1024)
#define GIB (1024 * MIB)

/* All of the host's address space: phys_ptr() is the identity, so module 0
 * is the file's buffer at its host address. */
struct view phys = { (const uint8_t *)0, UINT64_MAX };

static const char *prog = "pvhfw-inspect";

static void vline(FILE *to, const char *module, const char *what,
		  const char *fmt, va_list ap)
{
	fprintf(to, "fw: %s: %s", module, what);
	vfprintf(to, fmt, ap);
	fputc('\n', to);
}

void fw_fatal(const char *module, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	va_start(ap, fmt);
	vline(stderr, module, "", fmt, ap);
	va_end(ap);
	exit(1);
}

void log_line(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(stdout, module, "", fmt, ap);
	va_end(ap);
}

void log_warn(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline(stderr, module, "warning: ", fmt, ap);
	va_end(ap);
}

/* fw.help prints through these. */
void console_puts(const char *s)
{
	fputs(s, stdout);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* The tool prints to stdout and stderr, whatever fw.console= says. */
void console_select(unsigned mask)
{
	(void)mask;
}

/* No fw_cfg on the host: the payload is module 0 (firmware/source.c then
 * never reaches the other fw_cfg calls, nor load_busy_begin). */
bool fwcfg_present(void)
{
	return false;
}

static __attribute__((noreturn)) void unreachable(const char *what)
{
	fprintf(stderr, "%s: internal error: %s called\n", prog, what);
	abort();
}

bool fwcfg_find(const char *name, uint16_t *select, uint32_t *size)
{
	(void)name, (void)select, (void)size;
	unreachable("fwcfg_find");
}

bool fwcfg_read(uint16_t select, uint64_t dst, uint32_t len)
{
	(void)select, (void)dst, (void)len;
	unreachable("fwcfg_read");
}

void fwcfg_select_read(uint16_t select, void *buf, uint32_t len)
{
	(void)select, (void)buf, (void)len;
	unreachable("fwcfg_select_read");
}

void load_busy_begin(const struct boot_info *bi, struct memmap_busy *b)
{
	(void)bi, (void)b;
	unreachable("load_busy_begin");
}

/* fw.elf's boot gives no EFI information to a Multiboot 2 kernel. */
bool platform_mb2_efi(struct mb2_efi *efi)
{
	(void)efi;
	return false;
}

/*
 * The QEMU machines the tool models (QEMU 7.2, default PCI hole, read off
 * fw.loglevel=debug boots): RAM below 4 GiB ends at the size of the VM or,
 * from `split` up, at `low`, and the rest starts at 4 GiB; pc and q35
 * reserve the last `top` bytes of low RAM (the BIOS's ACPI tables); QEMU
 * puts -initrd below low RAM's end less `acpi` bytes; pc and q35 (SeaBIOS)
 * give an ACPI 1.0 RSDP, microvm an ACPI 2.0 one.
 */
struct machine {
	const char *name;
	uint64_t split, low, top, acpi;
	uint8_t rsdp_revision;
};
static const struct machine machines[] = {
	{ "q35", 0xb0000000, 2 * GIB, 0x21000, 0x28000, 0 },
	{ "pc", 0xe0000000, 3 * GIB, 0x20000, 0x28000, 0 },
	{ "microvm", 3 * GIB, 3 * GIB, 0, 0, 2 },
};

/*
 * What the firmware checks when it builds the Multiboot 2 information:
 * every tag the kernel requires must be one this boot gives. The ACPI
 * tags come from the modelled machine's RSDP: pc/q35's ACPI 1.0 one
 * (revision 0, 20 bytes) gives tag 14, microvm's ACPI 2.0 one (36 bytes)
 * tag 15.
 */
static void check_mb2_requests(const struct payload *p,
			       const struct machine *vm)
{
	static uint8_t rsdp_buf[36] = "RSD PTR ";
	rsdp_buf[15] = vm->rsdp_revision; /* the builder reads the copy */
	struct acpi_rsdp rsdp = { .addr = (uint64_t)(uintptr_t)rsdp_buf,
				  .revision = vm->rsdp_revision,
				  .length = vm->rsdp_revision >= 2 ? 36 : 20 };
	struct mb2_extra x;
	if (p->kind == PAYLOAD_MB2)
		payload_mb2_extra(p, &rsdp, NULL, NULL, 0, &x);
}

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr,
		"usage: %s [-M MACHINE] [-m SIZE] [-v] FILE [WORDS...]\n"
		"  Prints which protocol fw.elf boots FILE with and where each "
		"segment goes.\n"
		"  WORDS: the firmware's command line (fw.protocol= etc. "
		"apply).\n"
		"  -M MACHINE  the QEMU machine: q35 (default), pc or "
		"microvm\n"
		"  -m SIZE     guest RAM for the placement checks, e.g. 256M, "
		"5G (default 256M)\n"
		"  -v          also print the firmware's own log lines\n",
		prog);
	exit(2);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 0);
	uint64_t unit = 1;
	if (*end == 'K' || *end == 'k')
		unit = 1024;
	else if (*end == 'M' || *end == 'm')
		unit = MIB;
	else if (*end == 'G' || *end == 'g')
		unit = GIB;
	if (unit != 1)
		end++;
	if (errno || end == s || *end || n == 0 || n > (1ull << 46) / unit) {
		fprintf(stderr, "%s: -m %s: not a size such as 256M or 5G\n",
			prog, s);
		exit(2);
	}
	return n * unit;
}

static const struct machine *parse_machine(const char *s)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (!strcmp(s, machines[i].name))
			return &machines[i];
	fprintf(stderr,
		"%s: -M %s: not a machine the tool models (q35, pc, "
		"microvm)\n",
		prog, s);
	exit(2);
}

/* Where RAM below 4 GiB ends in a VM of `mem` bytes. */
static uint64_t low_ram_end(const struct machine *vm, uint64_t mem)
{
	return mem >= vm->split ? vm->low : mem;
}

/*
 * Reads the file into memory at `at`, the address QEMU would give it as
 * -initrd (4 KiB-aligned, ending below low RAM's end less the machine's
 * ACPI allowance), so that phys_ptr() is still the identity and the
 * firmware's checks of module 0 against the memory map see what they
 * would at boot.
 */
static uint8_t *load_file(const char *path, const struct machine *vm,
			  uint64_t mem, uint64_t *at, uint64_t *size)
{
	uint64_t low_end = low_ram_end(vm, mem);
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s: %s\n", prog, path,
			f ? "not a regular file" : strerror(errno));
		exit(2);
	}
	uint64_t n = (uint64_t)st.st_size;
	uint64_t span = n ? (n + 4095) & ~4095ull : 4096;
	uint64_t max = low_end - vm->acpi - 1; /* QEMU's initrd_max */
	*at = max > MIB && n < max - MIB ? (max - n) & ~4095ull : 0;
	if (!*at) {
		fprintf(stderr,
			"%s: %s: %llu bytes do not fit in RAM below 0x%llx, "
			"where QEMU puts module 0 (try a larger -m)\n",
			prog, path, (unsigned long long)n,
			(unsigned long long)low_end);
		exit(2);
	}
	void *buf =
		mmap((void *)(uintptr_t)*at, span, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (buf != (void *)(uintptr_t)*at) {
		fprintf(stderr,
			"%s: %s: cannot map it at 0x%llx, where QEMU would "
			"put module 0 (try another -m)\n",
			prog, path, (unsigned long long)*at);
		exit(2);
	}
	if (fread(buf, 1, n, f) != n) {
		fprintf(stderr, "%s: %s: read error\n", prog, path);
		exit(2);
	}
	fclose(f);
	*size = n;
	return buf;
}

/*
 * The memory map the machine gives a VM of `mem` bytes: low RAM to
 * 0x9fc00, the BIOS area reserved, RAM from 1 MiB to low RAM's end (its
 * last `top` bytes reserved), the rest from 4 GiB. The other reserved
 * ranges QEMU lists (MMCONFIG, the BIOS flash below 4 GiB) are not RAM
 * either way.
 */
static void qemu_like_map(struct memmap *mm, const struct machine *vm,
			  uint64_t mem)
{
	uint64_t low = low_ram_end(vm, mem);
	memmap_init(mm);
	memmap_add(mm, 0, 0x9fc00, MEMMAP_RAM);
	memmap_add(mm, 0x9fc00, 0x400, MEMMAP_RESERVED);
	memmap_add(mm, 0xf0000, 0x10000, MEMMAP_RESERVED);
	if (low > MIB + vm->top) {
		memmap_add(mm, MIB, low - vm->top - MIB, MEMMAP_RAM);
		if (vm->top)
			memmap_add(mm, low - vm->top, vm->top, MEMMAP_RESERVED);
	}
	if (mem > low)
		memmap_add(mm, 4 * GIB, mem - low, MEMMAP_RAM);
	memmap_normalise(mm);
}

static void print_size(uint64_t n)
{
	if (n >= MIB)
		printf("%llu bytes (%.1f MiB)", (unsigned long long)n,
		       (double)n / MIB);
	else
		printf("%llu bytes", (unsigned long long)n);
}

static void print_linux(const struct payload *p, const struct boot_info *bi,
			const char *vmdesc)
{
	const struct memmap *mm = &bi->memmap;
	const struct bzimage_info *bz = &p->bz;
	printf("protocol: linux (bzImage, boot protocol %u.%02u, 64-bit "
	       "entry with boot_params)\n",
	       bz->version >> 8, bz->version & 0xFF);
	printf("kernel: ");
	print_size(bz->pm_size);
	printf(" at file offset 0x%llx, init_size 0x%x, %s",
	       (unsigned long long)bz->pm_offset, bz->init_size,
	       bz->relocatable ? "relocatable" : "not relocatable");
	if (bz->relocatable)
		printf(" (alignment 0x%x)", bz->kernel_alignment);
	printf(", preferred address 0x%llx\n",
	       (unsigned long long)bz->pref_address);
	if (bz->can_load_above_4g)
		printf("initrd: the first module, anywhere (the kernel can "
		       "load above 4 GiB)\n");
	else
		printf("initrd: the first module, below 0x%llx\n",
		       (unsigned long long)bz->initrd_addr_max + 1);
	/* As load_prepare: beside the firmware (fw.elf's load address; fw.ld
	 * keeps the image below 2 MiB) and the payload file; when that finds
	 * no room, beside the firmware only, and the file moves out of the
	 * kernel's way (the other modules of a bundle, not modelled here,
	 * would move too). */
	static struct memmap_busy busy;
	memmap_busy_init(&busy);
	memmap_busy_add(&busy, MIB, MIB, "the firmware");
	memmap_busy_add(&busy, bi->mod[0].paddr, bi->mod[0].size, "module 0");
	uint64_t at;
	enum bzimage_err err = bzimage_place(bz, mm, &busy, &at);
	bool over_file = false;
	if (err == BZIMAGE_E_NO_ROOM) {
		memmap_busy_remove(&busy, "module 0");
		err = bzimage_place(bz, mm, &busy, &at);
		over_file = true;
	}
	if (err == BZIMAGE_E_NO_ROOM)
		fw_fatal("linux", BZIMAGE_NO_ROOM_FMT, bz->init_size);
	if (err)
		fw_fatal("linux", "%s", bzimage_strerror(err));
	uint64_t to;
	memmap_busy_add(&busy, at, bz->init_size, "the payload");
	if (over_file && memmap_alloc(mm, &busy, bi->mod[0].size, 4096, MIB,
				      UINT64_MAX, "module 0", &to))
		fw_fatal("load",
			 "no free RAM to move module 0 (%llu bytes) out of "
			 "the payload's way",
			 (unsigned long long)bi->mod[0].size);
	printf("placement in a %s: 0x%llx-0x%llx (%s%s), entry 0x%llx\n",
	       vmdesc, (unsigned long long)at,
	       (unsigned long long)(at + bz->init_size),
	       at == bz->pref_address ? "its preferred address" : "relocated",
	       over_file ? ", over the payload file, which the firmware moves "
			   "out of its way"
			 : "",
	       (unsigned long long)(at + BZIMAGE_ENTRY64_OFFSET));
}

static const char *entry_state(const struct payload *p)
{
	switch (p->kind) {
	case PAYLOAD_PVH:
		return "32-bit protected mode, paging off, %ebx = start_info";
	case PAYLOAD_MB1:
		return "32-bit protected mode, paging off, %eax = 0x2badb002";
	case PAYLOAD_MB2:
		return "32-bit protected mode, paging off, %eax = 0x36d76289";
	default:
		return "64-bit mode, identity-mapped, %rdi = start_info";
	}
}

/* Whether the firmware finds RAM to move to when the payload is linked
 * over it: 1 MiB (fw.ld keeps the image below 2 MiB) outside module 0 and
 * the segments. */
static bool room_for_firmware(const struct payload *p,
			      const struct boot_info *bi)
{
	static struct memmap_busy busy;
	memmap_busy_init(&busy);
	memmap_busy_add(&busy, bi->mod[0].paddr, bi->mod[0].size, "module 0");
	for (uint32_t i = 0; i < p->nseg; i++)
		memmap_busy_add(&busy, p->seg[i].dest, p->seg[i].memsz,
				"the payload");
	uint64_t at;
	return memmap_alloc(&bi->memmap, &busy, MIB, 4096, MIB, 4 * GIB,
			    "the firmware", &at) == MEMMAP_OK;
}

/* Whether a relocatable kernel finds a place within its limits outside
 * module 0, as the firmware's relocate() asks (the firmware's own image
 * and the handoff area are left out of this model). */
static bool room_to_relocate(const struct payload *p,
			     const struct boot_info *bi)
{
	struct memmap_busy busy;
	memmap_busy_init(&busy);
	memmap_busy_add(&busy, bi->mod[0].paddr, bi->mod[0].size, "module 0");
	uint64_t at;
	return payload_reloc_alloc(&bi->memmap, &busy, p, "the payload", &at) ==
	       MEMMAP_OK;
}

/* The ELF and Multiboot plans: segments, and whether each lies in RAM of
 * the modelled VM (at boot, load_prepare checks the real map). */
static int print_segments(const struct payload *p, const struct boot_info *bi,
			  const char *vmdesc)
{
	const struct memmap *mm = &bi->memmap;
	int bad = 0;
	printf("protocol: %s (%s)\n", p->name, entry_state(p));
	printf("entry: 0x%llx\n", (unsigned long long)p->entry);
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		printf("segment %u: file 0x%llx+0x%llx -> 0x%llx-0x%llx", i,
		       (unsigned long long)s->src,
		       (unsigned long long)s->filesz,
		       (unsigned long long)s->dest,
		       (unsigned long long)(s->dest + s->memsz));
		if (s->zero && s->memsz > s->filesz)
			printf(", 0x%llx bytes zeroed",
			       (unsigned long long)(s->memsz - s->filesz));
		bool ram = memmap_is_ram(mm, s->dest, s->memsz);
		if (!ram && payload_relocatable(p) && room_to_relocate(p, bi)) {
			printf(" (not in RAM of a %s: the kernel is "
			       "relocatable, the firmware moves it)",
			       vmdesc);
		} else if (!ram && payload_relocatable(p)) {
			printf(" (not in RAM of a %s, and no free RAM to "
			       "relocate the kernel to within its limits)",
			       vmdesc);
			bad = 1;
		} else if (!ram) {
			printf(" (not in RAM of a %s)", vmdesc);
			bad = 1;
		} else if (s->dest < 2 * MIB && s->dest + s->memsz > MIB) {
			if (room_for_firmware(p, bi)) {
				printf(" (over fw.elf's load address: the "
				       "firmware moves out of the way)");
			} else {
				printf(" (over fw.elf's load address, and no "
				       "free RAM for the firmware to move to)");
				bad = 1;
			}
		}
		putchar('\n');
	}
	if (p->kind == PAYLOAD_PVH && p->elf.linux_note)
		printf("a Linux kernel (ELF notes owned by \"Linux\"): its PVH "
		       "entry takes at most %d memory map entries\n",
		       LINUX_E820_MAX);
	if (p->kind == PAYLOAD_PVH && p->elf.pvh_reloc)
		printf("relocatable (PHYS32_RELOC): 0x%x-0x%x, alignment "
		       "0x%llx\n",
		       p->elf.reloc_min, p->elf.reloc_max,
		       (unsigned long long)p->elf.reloc_align);
	if (p->kind == PAYLOAD_MB2 && p->mb.relocatable) {
		static const char *const prefs[] = {
			[MB2_RELOC_PREF_NONE] = "none",
			[MB2_RELOC_PREF_LOWEST] = "lowest",
			[MB2_RELOC_PREF_HIGHEST] = "highest",
		};
		uint32_t pref = p->mb.reloc_pref;
		bool low = pref == MB2_RELOC_PREF_LOWEST;
		printf("relocatable (Multiboot 2 tag): 0x%x-0x%x, alignment "
		       "0x%x, preference %s\n",
		       p->mb.reloc_min, p->mb.reloc_max, p->mb.reloc_align,
		       pref < 3 ? prefs[pref] : "none");
		if (!mb_plan_in_limits(&p->mb))
			printf("linked outside those limits: the firmware "
			       "moves it to the %s free place within them "
			       "(not below 1 MiB)\n",
			       low ? "lowest" : "highest");
	}
	return bad;
}

int main(int argc, char **argv)
{
	uint64_t mem = 256 * MIB;
	const struct machine *vm = &machines[0];
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-v"))
			fw_opt.loglevel = LOG_INFO;
		else if (!strcmp(argv[i], "-M") && i + 1 < argc)
			vm = parse_machine(argv[++i]);
		else if (!strncmp(argv[i], "-M", 2) && argv[i][2])
			vm = parse_machine(argv[i] + 2);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			mem = parse_size(argv[++i]);
		else if (!strncmp(argv[i], "-m", 2) && argv[i][2])
			mem = parse_size(argv[i] + 2);
		else
			usage();
	}
	if (i >= argc)
		usage();
	const char *path = argv[i++];

	/* The command line: the words after FILE, as the VMM would pass. */
	static char line[BOOT_CMDLINE_MAX], cmdline[BOOT_CMDLINE_MAX];
	size_t len = 0;
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + (len ? 1 : 0) + n + 1 > sizeof(line)) {
			fprintf(stderr, "%s: command line too long\n", prog);
			return 2;
		}
		if (len)
			line[len++] = ' ';
		memcpy(line + len, argv[i], n + 1);
		len += n;
	}
	int level = fw_opt.loglevel;
	options_parse(line, cmdline, sizeof(cmdline));
	if (fw_opt.help) {
		options_help();
		return 0;
	}
	fw_opt.loglevel = level; /* -v, not fw.loglevel=, says what prints */

	char vmdesc[64]; /* "256 MiB q35 VM" */
	snprintf(vmdesc, sizeof(vmdesc), "%llu MiB %s VM",
		 (unsigned long long)(mem / MIB), vm->name);
	uint64_t at, size;
	uint8_t *file = load_file(path, vm, mem, &at, &size);
	static struct boot_info bi;
	qemu_like_map(&bi.memmap, vm, mem);
	bi.nmods = 1;
	bi.mod[0] = (struct boot_module){ at, size, "" };
	bi.origin = "module 0";
	printf("file: %s, ", path);
	print_size(size);
	putchar('\n');

	/* What the firmware does from here, but the load and the jump. */
	source_select(&bi, cmdline, sizeof(cmdline));
	static struct payload p;
	payload_select(&bi, &p);
	measure(&bi);
	payload_plan(&bi, &p);
	payload_check_cmdline(&p, cmdline);
	check_mb2_requests(&p, vm);

	printf("payload: %s, ", bi.origin);
	print_size(bi.mod[0].size);
	putchar('\n');
	for (uint32_t m = 1; m < bi.nmods; m++) {
		printf("module %u: %s, ", m - 1, bi.mod[m].name);
		print_size(bi.mod[m].size);
		putchar('\n');
	}
	int bad = 0;
	if (p.kind == PAYLOAD_LINUX)
		print_linux(&p, &bi, vmdesc);
	else
		bad = print_segments(&p, &bi, vmdesc);
	printf("command line: \"%s\"\n", cmdline);
	munmap(file, size ? size : 4096);
	return bad;
}
