// SPDX-License-Identifier: MIT
/*
 * pvhrun.c: a minimal KVM launcher that starts a Xen PVH kernel (meant for
 * build/fw.elf) with the handoff Cloud Hypervisor or Firecracker gives it.
 * Neither VMM can be installed on the test machines, so pvhrun reproduces
 * what their x86-64 PVH setup is documented to do (addresses and values, see
 * docs/cloud-hypervisor.md and docs/firecracker.md): guest memory with the
 * 32-bit hole, hvm_start_info at 0x6000, the module list at 0x6040, the
 * memory map at 0x7000 in the VMM's own shape and order, the command line at
 * 0x20000, the initramfs high in RAM below 4 GiB, the RSDP where the VMM puts
 * it, and the register, segment, FPU and MSR state of the boot vCPU.
 *
 *   pvhrun --profile ch|fc [options] KERNEL
 *   pvhrun --probe [--profile ch|fc]
 *
 * Steps of a run (each failure is one "pvhrun: ..." line on stderr):
 *   1. probe: a tiny guest (probe.S) checks that KVM can run what the
 *      firmware needs (protected mode, long mode, SSE); else exit 77;
 *   2. guest memory, the kernel's PT_LOAD segments at p_paddr, its PVH note;
 *   3. the initramfs, the command line, the memory map, start_info, ACPI;
 *   4. the VM and vCPU as the profile's VMM sets them up, then KVM_RUN.
 *
 * Devices: a 16550 UART at 0x3F8 (its output goes to stdout), QEMU's
 * isa-debug-exit at 0xF4, the 0xE9 debug port (--debugcon FILE). Other ports
 * read 0xFF and ignore writes; memory outside RAM reads 0xFF.
 *
 * Exit status:
 *   (v << 1) | 1  the guest wrote v to port 0xF4 (0x10 -> 33, 0x7F -> 255)
 *   0             the guest shut down (triple fault)
 *   124           the guest halted with interrupts off, or --timeout passed
 *   125           KVM failed during the run
 *   77            KVM is not usable here (the probe failed): tests skip
 *   2             bad arguments or input files
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "profile.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define FOUR_GiB (4ull << 30)

#define EXIT_USAGE 2
#define EXIT_SKIP 77
#define EXIT_HALT 124
#define EXIT_KVM 125

/* The PVH structures (bootabi.h) and what each VMM hands over: profile.h,
 * shared with tests/payloads/relaunch. */
#define NOTE_PHYS32_ENTRY 18
#define APICBASE_X2APIC 0xFEE00D00ull /* base, enabled, x2APIC, BSP */

/* Devices. */
#define PORT_COM1 0x3F8
#define PORT_EXIT 0xF4
#define PORT_DEBUGCON 0xE9
#define PORT_POST 0x80

struct options {
	const struct profile *prof;
	uint64_t mem;
	const char *kernel;
	const char *initramfs;
	const char *cmdline;
	const char *debugcon;
	enum hostile hostile;
	unsigned timeout;
	bool x2apic;
	bool no_acpi;
	bool enable_pci;
	bool probe_only;
	bool no_probe;
	bool needs_sse; /* run only where the probe's SSE step passed */
	bool emulate_mxcsr;
	bool dry_run;
	bool verbose;
};

/* ---- Messages ---- */

static void flush_out(void)
{
	fflush(stdout);
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;
	flush_out();
	fputs("pvhrun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 2, 3), noreturn)) static void
die(int status, const char *fmt, ...)
{
	va_list ap;
	flush_out();
	fputs("pvhrun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* ---- Guest memory: [0, low) and [4 GiB, 4 GiB + high) ---- */

struct guest {
	uint8_t *low;
	uint64_t low_size;
	uint8_t *high;
	uint64_t high_size;
};

static uint8_t *alloc_ram(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die(EXIT_USAGE, "cannot map %llu MiB of guest memory: %s",
		    (unsigned long long)(size / MiB), strerror(errno));
	return p;
}

/* The VMMs' region split: RAM up to 3 GiB, the rest from 4 GiB. */
static void guest_alloc(struct guest *g, uint64_t mem)
{
	g->low_size = mem < RAM32_END ? mem : RAM32_END;
	g->high_size = mem - g->low_size;
	g->low = alloc_ram(g->low_size);
	g->high = g->high_size ? alloc_ram(g->high_size) : NULL;
}

/* Host pointer to guest [addr, addr + len) when it is all RAM, else NULL. */
static uint8_t *gpa(const struct guest *g, uint64_t addr, uint64_t len)
{
	if (addr <= g->low_size && len <= g->low_size - addr)
		return g->low + addr;
	if (addr >= FOUR_GiB && addr - FOUR_GiB <= g->high_size &&
	    len <= g->high_size - (addr - FOUR_GiB))
		return g->high + (addr - FOUR_GiB);
	return NULL;
}

static uint64_t guest_ram_end(const struct guest *g)
{
	return g->high_size ? FOUR_GiB + g->high_size : g->low_size;
}

static void put(const struct guest *g, uint64_t addr, const void *src,
		uint64_t len, const char *what)
{
	uint8_t *p = gpa(g, addr, len);
	if (!p)
		die(EXIT_USAGE, "%s (0x%llx-0x%llx) does not fit in guest RAM",
		    what, (unsigned long long)addr,
		    (unsigned long long)(addr + len));
	memcpy(p, src, len);
}

/* ---- Files ---- */

static uint8_t *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		die(EXIT_USAGE, "%s: %s", path, strerror(errno));
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf)
		die(EXIT_USAGE, "%s: out of memory", path);
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			die(EXIT_USAGE, "%s: read failed", path);
		got += (size_t)r;
	}
	close(fd);
	*size = n;
	return buf;
}

/* ---- The kernel: ELF64, PT_LOAD at p_paddr, the PVH note ----
 *
 * Both VMMs load ELF kernels with linux-loader: ELF64 only, every PT_LOAD
 * with file bytes copied to p_paddr (which must not lie below 1 MiB), the
 * PVH entry from a "Xen" note of type 18 in a PT_NOTE (4-byte aligned name
 * and descriptor, the first 4 descriptor bytes are the entry).
 */

struct kernel {
	uint64_t entry;
	uint64_t lo, hi; /* lowest and highest loaded byte + 1 */
	unsigned nload;
};

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static bool in_file(size_t n, uint64_t off, uint64_t len)
{
	return off <= n && len <= n - off;
}

static void load_kernel(const struct guest *g, const char *path,
			struct kernel *k)
{
	size_t n;
	const uint8_t *f = read_file(path, &n);
	if (n < 64 || memcmp(f, "\177ELF", 4) != 0)
		die(EXIT_USAGE, "%s: not an ELF file", path);
	if (f[4] != 2)
		die(EXIT_USAGE,
		    "%s: not ELF64 (Cloud Hypervisor and Firecracker load "
		    "ELF64 kernels only)",
		    path);
	if (f[5] != 1 || rd(f + 18, 2) != 62)
		die(EXIT_USAGE, "%s: not a little-endian x86-64 ELF", path);
	uint64_t phoff = rd(f + 32, 8);
	unsigned phentsize = (unsigned)rd(f + 54, 2);
	unsigned phnum = (unsigned)rd(f + 56, 2);
	if (phentsize != 56 || !in_file(n, phoff, (uint64_t)phnum * 56))
		die(EXIT_USAGE, "%s: bad program headers", path);

	memset(k, 0, sizeof(*k));
	k->lo = UINT64_MAX;
	bool have_entry = false;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + (uint64_t)i * 56;
		uint32_t type = (uint32_t)rd(ph, 4);
		uint64_t off = rd(ph + 8, 8), paddr = rd(ph + 24, 8);
		uint64_t filesz = rd(ph + 32, 8), memsz = rd(ph + 40, 8);
		if (!in_file(n, off, filesz))
			die(EXIT_USAGE,
			    "%s: segment %u past the end of the file", path, i);
		if (type == 1 && memsz > 0) { /* PT_LOAD */
			if (paddr < HIMEM_START)
				die(EXIT_USAGE,
				    "%s: segment %u at 0x%llx is below 1 MiB "
				    "(the VMMs refuse it)",
				    path, i, (unsigned long long)paddr);
			if (memsz < filesz || !gpa(g, paddr, memsz))
				die(EXIT_USAGE,
				    "%s: segment %u (0x%llx-0x%llx) is not in "
				    "guest RAM",
				    path, i, (unsigned long long)paddr,
				    (unsigned long long)(paddr + memsz));
			memcpy(gpa(g, paddr, filesz), f + off, filesz);
			if (paddr < k->lo)
				k->lo = paddr;
			if (paddr + memsz > k->hi)
				k->hi = paddr + memsz;
			k->nload++;
		}
		if (type == 4) { /* PT_NOTE */
			uint64_t p = off, end = off + filesz;
			while (end - p >= 12) {
				uint64_t namesz = rd(f + p, 4);
				uint64_t descsz = rd(f + p + 4, 4);
				uint32_t ntype = (uint32_t)rd(f + p + 8, 4);
				uint64_t name = p + 12;
				uint64_t desc = name + ((namesz + 3) & ~3ull);
				uint64_t next = desc + ((descsz + 3) & ~3ull);
				if (next > end || next <= p)
					break;
				if (namesz == 4 &&
				    !memcmp(f + name, "Xen", 4) &&
				    ntype == NOTE_PHYS32_ENTRY && descsz >= 4) {
					k->entry = rd(f + desc, 4);
					have_entry = true;
				}
				p = next;
			}
		}
	}
	if (!k->nload)
		die(EXIT_USAGE, "%s: no PT_LOAD segment", path);
	if (!have_entry)
		die(EXIT_USAGE,
		    "%s: no Xen PVH note (type 18): the VMMs would boot it "
		    "by its 64-bit ELF entry, which pvhrun does not model",
		    path);
	free((void *)f);
}

/* ---- The handoff: memory map, start_info, command line, ACPI ---- */

struct handoff {
	struct si_memmap map[VMM_MAP_MAX];
	unsigned nmap;
	struct si_v1 si;
	struct si_mod mod;
	bool have_mod;
	char *cmdline; /* as written at CMDLINE_ADDR (NULL: hostile bytes) */
	uint64_t rsdp; /* where an RSDP was written, 0 = none */
};

static uint8_t acpi_sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return (uint8_t)(0x100 - s);
}

/*
 * A stand-in for the VMM's ACPI tables: a valid RSDP (revision 2) at the
 * VMM's address pointing to an XSDT with no entries. The real VMMs add a
 * DSDT, FADT (hardware-reduced), MADT and more; the firmware only needs the
 * RSDP to hand on.
 */
static void write_acpi(const struct profile *p, const struct guest *g)
{
	uint8_t xsdt[36] = "XSDT";
	uint32_t len = sizeof(xsdt);
	memcpy(xsdt + 4, &len, 4);
	xsdt[8] = 1; /* revision */
	memcpy(xsdt + 10, "PVHRUN", 6);
	memcpy(xsdt + 16, "PVHRUNXS", 8);
	xsdt[24] = 1;
	memcpy(xsdt + 28, "PVHR", 4);
	xsdt[32] = 1;
	xsdt[9] = acpi_sum(xsdt, sizeof(xsdt));
	put(g, p->xsdt, xsdt, sizeof(xsdt), "XSDT");

	uint8_t rsdp[36] = "RSD PTR ";
	memcpy(rsdp + 9, "PVHRUN", 6);
	rsdp[15] = 2; /* revision: ACPI 2.0+, XSDT */
	len = sizeof(rsdp);
	memcpy(rsdp + 20, &len, 4);
	uint64_t x = p->xsdt;
	memcpy(rsdp + 24, &x, 8);
	rsdp[8] = acpi_sum(rsdp, 20);
	rsdp[32] = acpi_sum(rsdp, 36);
	put(g, p->rsdp, rsdp, sizeof(rsdp), "RSDP");
}

/*
 * The initramfs goes where both VMMs put it: at the end of the RAM that
 * starts at 0 (below the 32-bit hole), rounded down to a 4 KiB page.
 */
static uint64_t load_initramfs(const struct guest *g, const char *path,
			       uint64_t *size)
{
	size_t n;
	uint8_t *f = read_file(path, &n);
	if (n > g->low_size)
		die(EXIT_USAGE,
		    "%s: %zu bytes do not fit below the 32-bit hole", path, n);
	uint64_t addr = (g->low_size - n) & ~0xFFFull;
	put(g, addr, f, n, "initramfs");
	free(f);
	*size = n;
	return addr;
}

static void build_handoff(const struct options *o, const struct guest *g,
			  struct handoff *h)
{
	const struct profile *p = o->prof;
	memset(h, 0, sizeof(*h));
	h->nmap = vmm_memmap(p, g->low_size, g->high_size, h->map);

	/* The command line as the VMM assembles it. */
	const char *user = o->cmdline ? o->cmdline : "";
	size_t n = strlen(user);
	h->cmdline = malloc(n + 16);
	if (!h->cmdline)
		die(EXIT_USAGE, "out of memory");
	strcpy(h->cmdline, user);
	if (p->pci_off && !o->enable_pci)
		strcat(h->cmdline, n ? " pci=off" : "pci=off");
	if (strlen(h->cmdline) + 1 > p->cmdline_max)
		die(EXIT_USAGE,
		    "command line is %zu bytes; %s takes at most %llu "
		    "(with the NUL)",
		    strlen(h->cmdline) + 1, p->vmm,
		    (unsigned long long)p->cmdline_max);

	if (o->initramfs) {
		uint64_t size;
		h->mod.paddr = load_initramfs(g, o->initramfs, &size);
		h->mod.size = size;
		h->have_mod = true;
	}
	if (!o->no_acpi) {
		write_acpi(p, g);
		h->rsdp = p->rsdp;
	}

	struct si_v1 *si = &h->si;
	si->magic = SI_MAGIC;
	si->version = 1;
	si->cmdline_paddr = CMDLINE_ADDR;
	si->rsdp_paddr = p->rsdp_given ? h->rsdp : 0;
	si->memmap_paddr = MEMMAP_ADDR;
	si->memmap_entries = h->nmap;
	if (h->have_mod) {
		si->nr_modules = 1;
		si->modlist_paddr = MODLIST_ADDR;
	}

	switch (o->hostile) {
	case HOSTILE_NONE:
		break;
	case HOSTILE_V0: /* a version-0 writer has no memmap fields */
		si->version = 0;
		si->memmap_paddr = 0;
		si->memmap_entries = 0;
		break;
	case HOSTILE_NOMEMMAP:
		si->memmap_entries = 0;
		break;
	case HOSTILE_MODLIST: {
		/* A whole GiB past the end of RAM (and past 4 GiB). */
		uint64_t end = guest_ram_end(g);
		if (end < FOUR_GiB)
			end = FOUR_GiB;
		si->modlist_paddr = ((end + GiB - 1) & ~(GiB - 1)) + GiB;
		if (!si->nr_modules)
			si->nr_modules = 1;
		break;
	}
	case HOSTILE_CMDLINE:
		free(h->cmdline);
		h->cmdline = NULL;
		break;
	case HOSTILE_RAM_128T: /* RAM no four-level identity map reaches */
		if (h->nmap == VMM_MAP_MAX)
			die(EXIT_USAGE, "memory map full");
		h->map[h->nmap++] =
			(struct si_memmap){ 1ull << 47, GiB, MEM_RAM, 0 };
		si->memmap_entries = h->nmap;
		break;
	}

	/* Into guest memory. */
	put(g, GDT_ADDR, boot_gdt, sizeof(boot_gdt), "GDT");
	uint64_t zero = 0;
	put(g, IDT_ADDR, &zero, sizeof(zero), "IDT");
	put(g, MEMMAP_ADDR, h->map, h->nmap * sizeof(h->map[0]), "memmap");
	if (h->have_mod)
		put(g, MODLIST_ADDR, &h->mod, sizeof(h->mod), "module list");
	if (h->cmdline) {
		put(g, CMDLINE_ADDR, h->cmdline, strlen(h->cmdline) + 1,
		    "command line");
	} else {
		/* The whole 64 KiB area (Cloud Hypervisor's), no NUL. */
		uint8_t *c = gpa(g, CMDLINE_ADDR, 0x10000);
		if (!c)
			die(EXIT_USAGE, "command line area not in RAM");
		memset(c, 'x', 0x10000);
	}
	put(g, START_INFO_ADDR, si, sizeof(*si), "start_info");
}

/* ---- KVM ---- */

struct vm {
	int kvm, fd, vcpu;
	struct kvm_run *run;
	size_t run_size;
	const struct profile *prof;
	const struct guest *guest;
};

/* Why KVM cannot be used, for the probe's verdict. */
static char why[256];

__attribute__((format(printf, 1, 2))) static bool fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

static bool set_region(struct vm *v, unsigned slot, uint64_t gpa_, void *host,
		       uint64_t size)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa_,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};
	if (ioctl(v->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION (0x%llx, %llu MiB): %s",
			    (unsigned long long)gpa_,
			    (unsigned long long)(size / MiB), strerror(errno));
	return true;
}

/* The VM as the profile's VMM creates it, with guest memory g. */
static bool vm_create(struct vm *v, const struct profile *p,
		      const struct guest *g)
{
	memset(v, 0, sizeof(*v));
	v->fd = v->vcpu = -1;
	v->prof = p;
	v->guest = g;
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		return fail("/dev/kvm: %s", strerror(errno));
	int api = ioctl(v->kvm, KVM_GET_API_VERSION, 0);
	if (api < 0)
		return fail("KVM_GET_API_VERSION: %s", strerror(errno));
	if (api != KVM_API_VERSION)
		return fail("KVM_GET_API_VERSION is %d, not %d", api,
			    KVM_API_VERSION);
	v->fd = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->fd < 0)
		return fail("KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(v->fd, KVM_SET_TSS_ADDR, (unsigned long)p->tss_addr) < 0)
		return fail("KVM_SET_TSS_ADDR: %s", strerror(errno));
	if (p->identity_map) {
		uint64_t a = p->identity_map;
		if (ioctl(v->fd, KVM_SET_IDENTITY_MAP_ADDR, &a) < 0)
			return fail("KVM_SET_IDENTITY_MAP_ADDR: %s",
				    strerror(errno));
	}
	if (p->irqchip == IRQCHIP_SPLIT) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP };
		cap.args[0] = 24; /* IOAPIC pins */
		if (ioctl(v->fd, KVM_ENABLE_CAP, &cap) < 0)
			return fail("KVM_CAP_SPLIT_IRQCHIP: %s",
				    strerror(errno));
	} else {
		if (ioctl(v->fd, KVM_CREATE_IRQCHIP, 0) < 0)
			return fail("KVM_CREATE_IRQCHIP: %s", strerror(errno));
		struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
		if (ioctl(v->fd, KVM_CREATE_PIT2, &pit) < 0)
			return fail("KVM_CREATE_PIT2: %s", strerror(errno));
	}
	if (!set_region(v, 0, 0, g->low, g->low_size))
		return false;
	if (g->high_size && !set_region(v, 1, FOUR_GiB, g->high, g->high_size))
		return false;
	v->vcpu = ioctl(v->fd, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return fail("KVM_CREATE_VCPU: %s", strerror(errno));
	int sz = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (int)sizeof(struct kvm_run))
		return fail("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	v->run_size = (size_t)sz;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return fail("mmap of kvm_run: %s", strerror(errno));
	return true;
}

static void vm_destroy(struct vm *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, v->run_size);
	if (v->vcpu >= 0)
		close(v->vcpu);
	if (v->fd >= 0)
		close(v->fd);
	if (v->kvm >= 0)
		close(v->kvm);
}

/* KVM's supported CPUID, with the hypervisor bit and x2APIC shown. */
static bool setup_cpuid(struct vm *v)
{
	unsigned nent = 256;
	struct kvm_cpuid2 *c;
	for (;;) {
		c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
		if (!c)
			return fail("out of memory");
		c->nent = nent;
		if (ioctl(v->kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		free(c);
		if (errno != E2BIG || nent >= 4096)
			return fail("KVM_GET_SUPPORTED_CPUID: %s",
				    strerror(errno));
		nent *= 2;
	}
	for (unsigned i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function == 1) {
			e->ecx |= 1u << 31;   /* hypervisor */
			e->ecx |= 1u << 21;   /* x2APIC */
			e->ebx &= 0x00FFFFFF; /* APIC ID 0 */
		}
	}
	bool ok = ioctl(v->vcpu, KVM_SET_CPUID2, c) == 0;
	free(c);
	return ok ? true : fail("KVM_SET_CPUID2: %s", strerror(errno));
}

static bool set_msrs(struct vm *v, const uint32_t *idx, const uint64_t *val,
		     unsigned n)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) + n * sizeof(m->entries[0]));
	if (!m)
		return fail("out of memory");
	m->nmsrs = n;
	for (unsigned i = 0; i < n; i++) {
		m->entries[i].index = idx[i];
		m->entries[i].data = val[i];
	}
	int r = ioctl(v->vcpu, KVM_SET_MSRS, m);
	free(m);
	if (r < 0)
		return fail("KVM_SET_MSRS: %s", strerror(errno));
	if ((unsigned)r != n)
		return fail("KVM_SET_MSRS refused MSR 0x%x", idx[r]);
	return true;
}

static bool setup_msrs(struct vm *v, bool x2apic)
{
	uint32_t idx[16];
	uint64_t val[16];
	unsigned n = 0;
	for (size_t i = 0; i < sizeof(boot_msrs) / sizeof(boot_msrs[0]); i++) {
		idx[n] = boot_msrs[i].index;
		val[n++] = boot_msrs[i].value;
	}
	if (!set_msrs(v, idx, val, n))
		return false;
	if (x2apic) {
		idx[0] = MSR_IA32_APICBASE;
		val[0] = APICBASE_X2APIC;
		return set_msrs(v, idx, val, 1);
	}
	return true;
}

/* Both VMMs: LINT0 delivers ExtINT (the PIC), LINT1 NMI. */
static bool setup_lapic(struct vm *v)
{
	struct kvm_lapic_state s;
	if (ioctl(v->vcpu, KVM_GET_LAPIC, &s) < 0)
		return fail("KVM_GET_LAPIC: %s", strerror(errno));
	uint32_t r;
	memcpy(&r, s.regs + 0x350, 4);
	r = (r & ~0x700u) | (7u << 8);
	memcpy(s.regs + 0x350, &r, 4);
	memcpy(&r, s.regs + 0x360, 4);
	r = (r & ~0x700u) | (4u << 8);
	memcpy(s.regs + 0x360, &r, 4);
	if (ioctl(v->vcpu, KVM_SET_LAPIC, &s) < 0)
		return fail("KVM_SET_LAPIC: %s", strerror(errno));
	return true;
}

/* A kvm_segment from one of the boot GDT's descriptors. */
static struct kvm_segment segment(unsigned index)
{
	uint64_t d = boot_gdt[index];
	struct kvm_segment s = { 0 };
	s.base = (d >> 16 & 0xFFFFFF) | (d >> 56 & 0xFF) << 24;
	uint32_t limit = (uint32_t)((d & 0xFFFF) | (d >> 48 & 0xF) << 16);
	s.g = d >> 55 & 1;
	s.limit = s.g ? limit << 12 | 0xFFF : limit;
	s.selector = (uint16_t)(index * 8);
	s.type = d >> 40 & 0xF;
	s.s = d >> 44 & 1;
	s.dpl = d >> 45 & 3;
	s.present = d >> 47 & 1;
	s.avl = d >> 52 & 1;
	s.l = d >> 53 & 1;
	s.db = d >> 54 & 1;
	s.unusable = !s.present;
	return s;
}

/*
 * The boot vCPU as both VMMs set it for PVH: flat 32-bit CS (0x08) and
 * DS/ES/FS/GS/SS (0x10), TR 0x18 a busy 32-bit TSS (base 0, limit 0x67),
 * GDT at 0x500 (limit 31), IDT at 0x520 (limit 7, one zero entry), CR0 =
 * the profile's, CR4 = 0, EFER and CR3 as KVM made them (0); RIP = the entry,
 * RBX = start_info, RFLAGS = 2, every other register 0 (no stack); x87
 * control word 0x37F and MXCSR 0x1F80.
 */
static bool setup_vcpu(struct vm *v, uint64_t rip, uint64_t rbx, bool x2apic)
{
	if (!setup_cpuid(v) || !setup_msrs(v, x2apic) || !setup_lapic(v))
		return false;

	struct kvm_sregs s;
	if (ioctl(v->vcpu, KVM_GET_SREGS, &s) < 0)
		return fail("KVM_GET_SREGS: %s", strerror(errno));
	s.gdt.base = GDT_ADDR;
	s.gdt.limit = sizeof(boot_gdt) - 1;
	s.idt.base = IDT_ADDR;
	s.idt.limit = IDT_LIMIT;
	s.cs = segment(1);
	s.ds = s.es = s.fs = s.gs = s.ss = segment(2);
	s.tr = segment(3);
	s.cr0 = v->prof->cr0;
	s.cr4 = 0;
	if (ioctl(v->vcpu, KVM_SET_SREGS, &s) < 0)
		return fail("KVM_SET_SREGS: %s", strerror(errno));

	struct kvm_regs r = { 0 };
	r.rflags = 2;
	r.rip = rip;
	r.rbx = rbx;
	if (ioctl(v->vcpu, KVM_SET_REGS, &r) < 0)
		return fail("KVM_SET_REGS: %s", strerror(errno));

	struct kvm_fpu f = { 0 };
	f.fcw = 0x37F;
	f.mxcsr = 0x1F80;
	if (ioctl(v->vcpu, KVM_SET_FPU, &f) < 0)
		return fail("KVM_SET_FPU: %s", strerror(errno));
	return true;
}

/* ---- Running ---- */

static struct kvm_run *volatile ticking_run;

static void on_tick(int sig)
{
	(void)sig;
	if (ticking_run)
		ticking_run->immediate_exit = 1;
}

/* A SIGALRM every 50 ms interrupts KVM_RUN to check the time and halts. */
static void start_ticks(struct kvm_run *run)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: KVM_RUN gets EINTR */
	ticking_run = run;
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_ticks(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	ticking_run = NULL;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct uart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
};

struct devices {
	struct uart com1;
	FILE *debugcon;
	int post; /* the last byte written to port 0x80 */
	unsigned mmio_reads, mmio_writes;
	bool emulate_mxcsr; /* --emulate-mxcsr */
	unsigned emulated;
};

/* One byte-wide access to the 16550 at 0x3F8. */
static uint8_t uart_io(struct uart *u, unsigned reg, bool write, uint8_t val)
{
	bool dlab = u->lcr & 0x80;
	if (write) {
		switch (reg) {
		case 0:
			if (dlab)
				u->dll = val;
			else
				putchar(val);
			break;
		case 1:
			if (dlab)
				u->dlm = val;
			else
				u->ier = val & 0x0F;
			break;
		case 3:
			u->lcr = val;
			break;
		case 4:
			u->mcr = val & 0x1F;
			break;
		case 7:
			u->scr = val;
			break;
		default: /* FCR; LSR and MSR are read-only */
			break;
		}
		return 0;
	}
	switch (reg) {
	case 0:
		return dlab ? u->dll : 0; /* no input */
	case 1:
		return dlab ? u->dlm : u->ier;
	case 2:
		return 0x01; /* IIR: no interrupt pending */
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return 0x60; /* LSR: THR empty, transmitter empty */
	case 6:
		return 0xB0; /* MSR: DCD, DSR, CTS */
	default:
		return u->scr;
	}
}

enum stop {
	STOP_NONE,
	STOP_EXIT,     /* the exit port was written */
	STOP_SHUTDOWN, /* triple fault */
	STOP_HALT,     /* HLT with interrupts off */
	STOP_TIMEOUT,
	STOP_ERROR, /* KVM failed: why[] says how */
};

struct outcome {
	enum stop stop;
	uint32_t exit_value;
	uint64_t rip;
};

static enum stop io_exit(struct vm *v, struct devices *d, struct outcome *o)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	unsigned size = run->io.size, port = run->io.port;
	for (unsigned i = 0; i < run->io.count; i++, data += size) {
		if (port >= PORT_COM1 && port < PORT_COM1 + 8) {
			uint8_t b = uart_io(&d->com1, port - PORT_COM1, out,
					    data[0]);
			if (!out)
				memset(data, b, size);
		} else if (port == PORT_EXIT) {
			if (out) {
				o->exit_value = (uint32_t)rd(data, size);
				return STOP_EXIT;
			}
			memset(data, 0xFF, size);
		} else if (port == PORT_DEBUGCON) {
			if (out && d->debugcon)
				fputc(data[0], d->debugcon);
			if (!out)
				memset(data, 0xE9, size);
		} else if (port == PORT_POST && out) {
			d->post = data[0];
		} else if (!out) {
			memset(data, 0xFF, size);
		}
	}
	return STOP_NONE;
}

/* Halted for good: HLT with IF = 0 (nothing here sends an NMI). */
static bool halted_for_good(struct vm *v, uint64_t *rip)
{
	struct kvm_mp_state mp;
	struct kvm_regs r;
	if (ioctl(v->vcpu, KVM_GET_MP_STATE, &mp) < 0 ||
	    mp.mp_state != KVM_MP_STATE_HALTED ||
	    ioctl(v->vcpu, KVM_GET_REGS, &r) < 0)
		return false;
	*rip = r.rip;
	return !(r.rflags & 0x200);
}

static void vcpu_rip(struct vm *v, uint64_t *rip)
{
	struct kvm_regs r;
	if (ioctl(v->vcpu, KVM_GET_REGS, &r) == 0)
		*rip = r.rip;
}

/*
 * --emulate-mxcsr, a diagnostic for nested KVMs that cannot execute
 * LDMXCSR/STMXCSR (they stop with an emulation failure): decode the 64-bit
 * instruction at RIP (0F AE /2 or /3 with a memory operand), move the value
 * between guest memory and the vCPU's saved MXCSR (KVM_GET/SET_FPU) and step
 * over it. Never used by the tests: a run that needs it proves less.
 */
static bool guest_read(struct vm *v, uint64_t va, void *dst, unsigned n,
		       uint8_t **where)
{
	for (unsigned i = 0; i < n; i++) {
		struct kvm_translation t = { .linear_address = va + i };
		uint8_t *p;
		if (ioctl(v->vcpu, KVM_TRANSLATE, &t) < 0 || !t.valid ||
		    !(p = gpa(v->guest, t.physical_address, 1)))
			return false;
		if (dst)
			((uint8_t *)dst)[i] = *p;
		if (where)
			where[i] = p;
	}
	return true;
}

static bool emulate_mxcsr(struct vm *v)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	uint8_t b[15];
	if (ioctl(v->vcpu, KVM_GET_REGS, &r) < 0 ||
	    ioctl(v->vcpu, KVM_GET_SREGS, &s) < 0 || !s.cs.l ||
	    !guest_read(v, r.rip, b, 8, NULL))
		return false;
	unsigned i = 0;
	uint8_t rex = 0;
	if ((b[i] & 0xF0) == 0x40)
		rex = b[i++];
	if (b[i] != 0x0F || b[i + 1] != 0xAE)
		return false;
	i += 2;
	unsigned mod = b[i] >> 6, reg = b[i] >> 3 & 7, rm = b[i] & 7;
	i++;
	if (mod == 3 || (reg != 2 && reg != 3))
		return false;
	const uint64_t gpr[16] = { r.rax, r.rcx, r.rdx, r.rbx, r.rsp, r.rbp,
				   r.rsi, r.rdi, r.r8,	r.r9,  r.r10, r.r11,
				   r.r12, r.r13, r.r14, r.r15 };
	uint64_t addr = 0;
	bool rip_rel = false;
	if (rm == 4) {
		uint8_t sib = b[i++];
		unsigned index = (sib >> 3 & 7) | (rex & 2 ? 8 : 0);
		if (index != 4)
			addr += gpr[index] << (sib >> 6);
		if ((sib & 7) == 5 && mod == 0) {
			addr += (uint64_t)(int32_t)rd(b + i, 4);
			i += 4;
		} else {
			addr += gpr[(sib & 7) | (rex & 1 ? 8 : 0)];
		}
	} else if (rm == 5 && mod == 0) {
		rip_rel = true;
		addr += (uint64_t)(int32_t)rd(b + i, 4);
		i += 4;
	} else {
		addr += gpr[rm | (rex & 1 ? 8 : 0)];
	}
	if (mod == 1) {
		addr += (uint64_t)(int8_t)b[i];
		i += 1;
	} else if (mod == 2) {
		addr += (uint64_t)(int32_t)rd(b + i, 4);
		i += 4;
	}
	if (i > 8 && !guest_read(v, r.rip, b, i, NULL))
		return false;
	if (rip_rel)
		addr += r.rip + i;
	uint8_t *where[4];
	uint32_t val, mxcsr;
	struct kvm_xsave x; /* MXCSR is at byte 24 of the legacy area */
	if (!guest_read(v, addr, &val, 4, where) ||
	    ioctl(v->vcpu, KVM_GET_XSAVE, &x) < 0)
		return false;
	memcpy(&mxcsr, (uint8_t *)x.region + 24, 4);
	if (reg == 2) {
		if (val & 0xFFFF0000u)
			return false; /* would be #GP */
		memcpy((uint8_t *)x.region + 24, &val, 4);
		if (ioctl(v->vcpu, KVM_SET_XSAVE, &x) < 0)
			return false;
	} else {
		for (unsigned k = 0; k < 4; k++)
			*where[k] = (uint8_t)(mxcsr >> (8 * k));
	}
	r.rip += i;
	return ioctl(v->vcpu, KVM_SET_REGS, &r) == 0;
}

static void run_vcpu(struct vm *v, struct devices *d, double limit,
		     struct outcome *o)
{
	double deadline = now() + limit;
	memset(o, 0, sizeof(*o));
	start_ticks(v->run);
	while (o->stop == STOP_NONE) {
		int r = ioctl(v->vcpu, KVM_RUN, 0);
		if (r < 0) {
			if (errno != EINTR && errno != EAGAIN) {
				fail("KVM_RUN: %s", strerror(errno));
				o->stop = STOP_ERROR;
				break;
			}
			v->run->immediate_exit = 0;
			if (halted_for_good(v, &o->rip))
				o->stop = STOP_HALT;
			else if (now() > deadline)
				o->stop = STOP_TIMEOUT;
			continue;
		}
		struct kvm_run *run = v->run;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			o->stop = io_exit(v, d, o);
			break;
		case KVM_EXIT_MMIO:
			/* Not RAM and no device: reads 0xFF, writes vanish. */
			if (run->mmio.is_write) {
				d->mmio_writes++;
			} else {
				d->mmio_reads++;
				memset(run->mmio.data, 0xFF, run->mmio.len);
			}
			break;
		case KVM_EXIT_HLT: /* only without an in-kernel LAPIC */
			o->stop = STOP_HALT;
			break;
		case KVM_EXIT_SHUTDOWN:
			o->stop = STOP_SHUTDOWN;
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			o->stop = STOP_SHUTDOWN;
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			if (d->emulate_mxcsr &&
			    run->internal.suberror ==
				    KVM_INTERNAL_ERROR_EMULATION &&
			    emulate_mxcsr(v)) {
				d->emulated++;
				break;
			}
			fail("KVM internal error, suberror %u%s",
			     run->internal.suberror,
			     run->internal.suberror ==
					     KVM_INTERNAL_ERROR_EMULATION
				     ? " (emulation failed)"
				     : "");
			o->stop = STOP_ERROR;
			break;
		case KVM_EXIT_FAIL_ENTRY:
			fail("KVM entry failed, reason 0x%llx",
			     (unsigned long long)run->fail_entry
				     .hardware_entry_failure_reason);
			o->stop = STOP_ERROR;
			break;
		default:
			fail("unexpected KVM exit reason %u", run->exit_reason);
			o->stop = STOP_ERROR;
			break;
		}
	}
	stop_ticks();
	if (o->stop != STOP_HALT)
		vcpu_rip(v, &o->rip);
	flush_out();
}

/* ---- The probe ---- */

extern const uint8_t pvhrun_probe_start[], pvhrun_probe_end[];
#define PROBE_BASE 0x10000
#define PROBE_MEM (4 * MiB)
#define PROBE_SECONDS 3.0

static const char *const probe_steps[] = {
	"not started",
	"32-bit protected-mode entry and LGDT",
	"CR4.PAE, CR3, EFER.LME by WRMSR",
	"paging on and the jump to 64-bit mode",
	"CR4.OSFXSR, FNINIT, LDMXCSR",
	"STMXCSR and the exit port",
};

/* How much of what the firmware needs KVM can run. */
enum kvm_level {
	KVM_BROKEN, /* not even 32-bit protected mode to long mode */
	KVM_NO_SSE, /* long mode works, SSE (LDMXCSR/STMXCSR) does not */
	KVM_FULL,   /* everything the probe tries */
};

/*
 * Runs probe.S under the profile's VM and vCPU setup and says how far it
 * got: KVM_FULL when it reached the end and read back FCW 0x37F and MXCSR
 * 0x1F80, KVM_NO_SSE when it reached 64-bit mode (step 4) but no further,
 * else KVM_BROKEN. Below KVM_FULL, why[] says where it stopped and how.
 */
static enum kvm_level probe(const struct profile *p, bool emulate_mxcsr)
{
	struct guest g = { 0 };
	g.low_size = PROBE_MEM;
	g.low = alloc_ram(PROBE_MEM);
	size_t len = (size_t)(pvhrun_probe_end - pvhrun_probe_start);
	memcpy(g.low + PROBE_BASE, pvhrun_probe_start, len);
	memcpy(g.low + GDT_ADDR, boot_gdt, sizeof(boot_gdt));
	/* Identity map of the first 1 GiB in 2 MiB pages. */
	uint64_t e = 0x3000 | 3;
	memcpy(g.low + 0x2000, &e, 8);
	e = 0x4000 | 3;
	memcpy(g.low + 0x3000, &e, 8);
	for (uint64_t i = 0; i < 512; i++) {
		e = i << 21 | 0x83;
		memcpy(g.low + 0x4000 + i * 8, &e, 8);
	}

	enum kvm_level level = KVM_BROKEN;
	struct vm v;
	if (vm_create(&v, p, &g) && setup_vcpu(&v, PROBE_BASE, 0, false)) {
		struct devices d = { .emulate_mxcsr = emulate_mxcsr };
		struct outcome o;
		run_vcpu(&v, &d, PROBE_SECONDS, &o);
		unsigned step = d.post < 6 ? (unsigned)d.post : 0;
		const char *at = probe_steps[step];
		char how[sizeof(why)];
		snprintf(how, sizeof(how), "%s", why);
		uint32_t fcw = 0, mxcsr = 0;
		memcpy(&mxcsr, g.low + 0x5004, 4);
		memcpy(&fcw, g.low + 0x5008, 2);
		level = step >= 4 ? KVM_NO_SSE : KVM_BROKEN;
		if (o.stop == STOP_EXIT && o.exit_value == 0x10)
			level = KVM_FULL;
		else if (o.stop == STOP_EXIT && o.exit_value == 0x11)
			fail("the probe guest read FCW 0x%x, MXCSR 0x%x (not "
			     "0x37f, 0x1f80)",
			     fcw, mxcsr);
		else if (o.stop == STOP_ERROR)
			fail("probe guest step %u (%s) at rip 0x%llx: %.100s",
			     step, at, (unsigned long long)o.rip, how);
		else if (o.stop == STOP_TIMEOUT)
			fail("the probe guest hung in step %u (%s), rip 0x%llx",
			     step, at, (unsigned long long)o.rip);
		else
			fail("the probe guest stopped in step %u (%s): %s",
			     step, at,
			     o.stop == STOP_SHUTDOWN ? "triple fault"
						     : "halted");
	}
	vm_destroy(&v);
	munmap(g.low, PROBE_MEM);
	return level;
}

/* ---- What the guest is handed, for --dry-run and -v ---- */

static void describe(FILE *out, const struct options *o, const struct guest *g,
		     const struct kernel *k, const struct handoff *h)
{
	const struct profile *p = o->prof;
	const struct si_v1 *si = &h->si;
	fprintf(out, "pvhrun: profile %s (%s), %llu MiB: RAM 0x0-0x%llx",
		p->name, p->vmm, (unsigned long long)(o->mem / MiB),
		(unsigned long long)g->low_size);
	if (g->high_size)
		fprintf(out, ", 0x%llx-0x%llx", (unsigned long long)FOUR_GiB,
			(unsigned long long)(FOUR_GiB + g->high_size));
	fputc('\n', out);
	fprintf(out,
		"pvhrun: kernel %s: %u PT_LOAD 0x%llx-0x%llx, PVH entry "
		"0x%llx\n",
		o->kernel, k->nload, (unsigned long long)k->lo,
		(unsigned long long)k->hi, (unsigned long long)k->entry);
	fprintf(out,
		"pvhrun: start_info 0x%x: magic 0x%x version %u flags %u "
		"nr_modules %u modlist 0x%llx cmdline 0x%llx rsdp 0x%llx "
		"memmap 0x%llx entries %u\n",
		START_INFO_ADDR, si->magic, si->version, si->flags,
		si->nr_modules, (unsigned long long)si->modlist_paddr,
		(unsigned long long)si->cmdline_paddr,
		(unsigned long long)si->rsdp_paddr,
		(unsigned long long)si->memmap_paddr, si->memmap_entries);
	if (h->have_mod)
		fprintf(out,
			"pvhrun: module 0 at 0x%x: 0x%llx, %llu bytes, no "
			"string\n",
			MODLIST_ADDR, (unsigned long long)h->mod.paddr,
			(unsigned long long)h->mod.size);
	for (unsigned i = 0; i < h->nmap; i++)
		fprintf(out, "pvhrun: memmap %u: 0x%llx-0x%llx %s\n", i,
			(unsigned long long)h->map[i].addr,
			(unsigned long long)(h->map[i].addr + h->map[i].size),
			h->map[i].type == MEM_RAM ? "ram" : "reserved");
	if (h->cmdline)
		fprintf(out, "pvhrun: cmdline 0x%x: \"%s\"\n", CMDLINE_ADDR,
			h->cmdline);
	else
		fprintf(out, "pvhrun: cmdline 0x%x: 64 KiB of 'x', no NUL\n",
			CMDLINE_ADDR);
	if (h->rsdp)
		fprintf(out,
			"pvhrun: acpi: RSDP 0x%llx (revision 2), XSDT 0x%llx "
			"(no tables)\n",
			(unsigned long long)h->rsdp,
			(unsigned long long)p->xsdt);
	else
		fprintf(out, "pvhrun: acpi: none\n");
	fprintf(out,
		"pvhrun: cpu: rip 0x%llx rbx 0x%x rsp 0 rflags 0x2 cr0 0x%llx "
		"cr4 0 efer 0\n",
		(unsigned long long)k->entry, START_INFO_ADDR,
		(unsigned long long)p->cr0);
	fprintf(out,
		"pvhrun: cpu: cs 0x%x ds/es/fs/gs/ss 0x%x (flat 32-bit), tr "
		"0x%x (busy 32-bit TSS, base 0, limit 0x67), gdt 0x%x/31, idt "
		"0x%x/7\n",
		SEL_CODE, SEL_DATA, SEL_TSS, GDT_ADDR, IDT_ADDR);
	fprintf(out,
		"pvhrun: cpu: fcw 0x37f mxcsr 0x1f80, apic %s, irqchip %s\n",
		o->x2apic ? "x2APIC mode" : "xAPIC mode",
		p->irqchip == IRQCHIP_SPLIT ? "split (LAPIC in KVM)"
					    : "in-kernel PIC, IOAPIC, PIT");
	if (o->hostile)
		fprintf(out, "pvhrun: hostile: %s\n",
			hostile_names[o->hostile]);
}

/* ---- Arguments ---- */

static void usage(void)
{
	fputs("usage: pvhrun --profile ch|fc [options] KERNEL\n"
	      "       pvhrun --probe [--profile ch|fc]\n"
	      "  --profile ch|fc      Cloud Hypervisor or Firecracker handoff\n"
	      "  --mem MIB            guest RAM in MiB (default 512)\n"
	      "  --initramfs FILE     module 0 (the payload, for fw.elf)\n"
	      "  --cmdline STR        the command line\n"
	      "  --hostile KIND       v0, nomemmap, modlist-beyond-ram,\n"
	      "                       cmdline-unterminated, ram-above-128t\n"
	      "  --x2apic             leave the LAPIC in x2APIC mode\n"
	      "  --no-acpi            no RSDP anywhere\n"
	      "  --enable-pci         fc: no pci=off on the command line\n"
	      "  --debugcon FILE      port 0xE9 output ('-' = stdout)\n"
	      "  --timeout SEC        stop after SEC seconds (default 30)\n"
	      "  --dry-run            print the handoff, run nothing\n"
	      "  --needs sse|long-mode  what the probe must find (default "
	      "sse;\n"
	      "                       long-mode: kernels that use no SSE)\n"
	      "  --no-probe           skip the KVM probe\n"
	      "  --emulate-mxcsr      diagnostic: emulate LDMXCSR/STMXCSR "
	      "where\n"
	      "                       KVM fails them (never used by tests)\n"
	      "  -v                   print the handoff before running\n",
	      stderr);
	exit(EXIT_USAGE);
}

static unsigned long long number(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		die(EXIT_USAGE, "%s: not a number: '%s'", what, s);
	return v;
}

static void parse(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->prof = &profile_ch;
	o->mem = 512 * MiB;
	o->timeout = 30;
	o->needs_sse = true;
	bool have_profile = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (!strcmp(a, "--profile") && val) {
			o->prof = profile_named(val, strlen(val));
			if (!o->prof)
				die(EXIT_USAGE, "unknown profile '%s'", val);
			have_profile = true;
		} else if (!strcmp(a, "--mem") && val) {
			unsigned long long m = number(val, "--mem");
			if (m < 16 || m > 64 * 1024)
				die(EXIT_USAGE, "--mem: 16 to 65536 MiB");
			o->mem = m * MiB;
		} else if (!strcmp(a, "--initramfs") && val) {
			o->initramfs = val;
		} else if (!strcmp(a, "--cmdline") && val) {
			o->cmdline = val;
		} else if (!strcmp(a, "--debugcon") && val) {
			o->debugcon = val;
		} else if (!strcmp(a, "--timeout") && val) {
			o->timeout = (unsigned)number(val, "--timeout");
		} else if (!strcmp(a, "--needs") && val) {
			if (!strcmp(val, "sse"))
				o->needs_sse = true;
			else if (!strcmp(val, "long-mode"))
				o->needs_sse = false;
			else
				die(EXIT_USAGE, "--needs: sse or long-mode");
		} else if (!strcmp(a, "--hostile") && val) {
			o->hostile = hostile_named(val, strlen(val));
			if (!o->hostile)
				die(EXIT_USAGE, "unknown --hostile '%s'", val);
		} else {
			takes = false;
			if (!strcmp(a, "--x2apic"))
				o->x2apic = true;
			else if (!strcmp(a, "--no-acpi"))
				o->no_acpi = true;
			else if (!strcmp(a, "--enable-pci"))
				o->enable_pci = true;
			else if (!strcmp(a, "--probe"))
				o->probe_only = true;
			else if (!strcmp(a, "--no-probe"))
				o->no_probe = true;
			else if (!strcmp(a, "--emulate-mxcsr"))
				o->emulate_mxcsr = true;
			else if (!strcmp(a, "--dry-run"))
				o->dry_run = true;
			else if (!strcmp(a, "-v"))
				o->verbose = true;
			else if (a[0] == '-' || o->kernel)
				usage();
			else
				o->kernel = a;
		}
		if (takes)
			i++;
	}
	if (o->probe_only)
		return;
	if (!have_profile || !o->kernel)
		usage();
}

int main(int argc, char **argv)
{
	struct options o;
	parse(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (o.probe_only || (!o.no_probe && !o.dry_run)) {
		enum kvm_level level = probe(o.prof, o.emulate_mxcsr);
		if (level == KVM_BROKEN || (level == KVM_NO_SSE && o.needs_sse))
			die(EXIT_SKIP, "KVM not usable: %s", why);
		if (o.probe_only) {
			if (level == KVM_FULL)
				say("KVM usable (%s profile): the probe guest "
				    "reached long mode and SSE",
				    o.prof->name);
			else
				say("KVM usable for guests without SSE (%s "
				    "profile): %s",
				    o.prof->name, why);
			return 0;
		}
	}

	struct guest g;
	guest_alloc(&g, o.mem);
	struct kernel k;
	load_kernel(&g, o.kernel, &k);
	struct handoff h;
	build_handoff(&o, &g, &h);

	if (o.dry_run) {
		describe(stdout, &o, &g, &k, &h);
		return 0;
	}
	if (o.verbose)
		describe(stderr, &o, &g, &k, &h);

	struct devices d = { .emulate_mxcsr = o.emulate_mxcsr };
	if (o.debugcon) {
		d.debugcon = strcmp(o.debugcon, "-") ? fopen(o.debugcon, "w")
						     : stdout;
		if (!d.debugcon)
			die(EXIT_USAGE, "%s: %s", o.debugcon, strerror(errno));
	}
	struct vm v;
	if (!vm_create(&v, o.prof, &g) ||
	    !setup_vcpu(&v, k.entry, START_INFO_ADDR, o.x2apic))
		die(EXIT_KVM, "%s", why);

	struct outcome out;
	run_vcpu(&v, &d, o.timeout, &out);
	if (d.debugcon && d.debugcon != stdout)
		fclose(d.debugcon);
	if (d.emulated)
		say("emulated %u LDMXCSR/STMXCSR (--emulate-mxcsr)",
		    d.emulated);
	if (o.verbose && (d.mmio_reads || d.mmio_writes))
		say("%u reads and %u writes outside RAM", d.mmio_reads,
		    d.mmio_writes);
	int status;
	switch (out.stop) {
	case STOP_EXIT:
		status = (int)((out.exit_value << 1 | 1) & 0xFF);
		say("exit port 0xf4: 0x%x (status %d)", out.exit_value, status);
		break;
	case STOP_SHUTDOWN:
		say("shutdown (triple fault) at rip 0x%llx",
		    (unsigned long long)out.rip);
		status = 0;
		break;
	case STOP_HALT:
		say("halted (interrupts off) at rip 0x%llx",
		    (unsigned long long)out.rip);
		status = EXIT_HALT;
		break;
	case STOP_TIMEOUT:
		say("timed out after %u s at rip 0x%llx", o.timeout,
		    (unsigned long long)out.rip);
		status = EXIT_HALT;
		break;
	default:
		say("%s at rip 0x%llx", why, (unsigned long long)out.rip);
		status = EXIT_KVM;
		break;
	}
	vm_destroy(&v);
	return status;
}
