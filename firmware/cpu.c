// SPDX-License-Identifier: MIT
/*
 * cpu.c: the firmware's CPU state: its GDT, an IDT whose handlers print the
 * trap and stop, the page tables it runs on and hands to 64-bit payloads,
 * its move out of a payload's way, and the one reset of the CPU state
 * payloads get (FPU/SSE and the rest).
 */
#include <string.h>

#include "console.h"
#include "cpu_defs.h"
#include "fw.h"
#include "io.h"

/* From cpu_asm.asm. */
extern const uint64_t trap_stubs[32];

/* The EFI way in widens it to all the memory its map describes. */
struct view phys = { (const uint8_t *)0, 0x100000000ull };

/* Where the image is linked to run, where it is in physical memory now,
 * and its size (platform_image at entry; image_phys changes on a move). */
static uint64_t image_virt, image_phys, image_size;

static const uint64_t gdt[4] = {
	0, 0x00CF9A000000FFFFull, /* SEL_CODE32 */
	0x00AF9A000000FFFFull,	  /* SEL_CODE64 */
	0x00CF92000000FFFFull,	  /* SEL_DATA */
};

struct __attribute__((packed)) table_desc {
	uint16_t limit;
	uint64_t base;
};

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};

static struct idt_gate idt[32];

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

static const char *const trap_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "22",	 "23",
	"24",  "25",  "26",  "27",  "28",  "#VC", "#SX", "31",
};

/*
 * Loads our GDT, then CS (a far return) and the data segments from it: the
 * way in may have left other selectors (OVMF runs with CS = 0x38).
 */
static void load_gdt(void)
{
	struct table_desc d = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	uint64_t tmp;
	__asm__ volatile("lgdt %1\n\t"
			 "pushq %2\n\t"
			 "leaq 1f(%%rip), %0\n\t"
			 "pushq %0\n\t"
			 "lretq\n"
			 "1:\tmovl %3, %k0\n\t"
			 "movl %k0, %%ds\n\t"
			 "movl %k0, %%es\n\t"
			 "movl %k0, %%ss\n\t"
			 "movl %k0, %%fs\n\t"
			 "movl %k0, %%gs"
			 : "=&r"(tmp)
			 : "m"(d), "i"(SEL_CODE64), "i"(SEL_DATA)
			 : "memory");
}

void cpu_init(void)
{
	platform_image(&image_virt, &image_phys, &image_size);
	load_gdt();
	for (int v = 0; v < 32; v++) {
		uint64_t off = trap_stubs[v];
		idt[v] = (struct idt_gate){
			.off_lo = (uint16_t)off,
			.sel = SEL_CODE64,
			.type = 0x8E, /* present, DPL 0, interrupt gate */
			.off_mid = (uint16_t)(off >> 16),
			.off_hi = (uint32_t)(off >> 32),
		};
	}
	struct table_desc i = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(i));
	/* SSE on from here (SHA-NI uses it); the handoff resets the
	 * registers again. */
	cpu_fpu_reset();
}

void trap_entry(struct trap_frame *f);
void trap_entry(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector & 31;
	console_printf("fw: cpu: trap vector %u (%s) error 0x%llx rip 0x%llx "
		       "cr2 0x%llx\n",
		       v, trap_names[v], (unsigned long long)f->error,
		       (unsigned long long)f->rip,
		       (unsigned long long)read_cr2());
	console_printf("fw: cpu: rax %016llx rbx %016llx rcx %016llx rdx "
		       "%016llx\n",
		       (unsigned long long)f->rax, (unsigned long long)f->rbx,
		       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	console_printf("fw: cpu: rsi %016llx rdi %016llx rbp %016llx rsp "
		       "%016llx\n",
		       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
		       (unsigned long long)f->rbp, (unsigned long long)f->rsp);
	console_printf("fw: cpu: r8  %016llx r9  %016llx r10 %016llx r11 "
		       "%016llx\n",
		       (unsigned long long)f->r8, (unsigned long long)f->r9,
		       (unsigned long long)f->r10, (unsigned long long)f->r11);
	console_printf("fw: cpu: r12 %016llx r13 %016llx r14 %016llx r15 "
		       "%016llx\n",
		       (unsigned long long)f->r12, (unsigned long long)f->r13,
		       (unsigned long long)f->r14, (unsigned long long)f->r15);
	console_printf(
		"fw: cpu: cs %llx ss %llx rflags %llx cr0 %llx cr3 %llx "
		"cr4 %llx\n",
		(unsigned long long)f->cs, (unsigned long long)f->ss,
		(unsigned long long)f->rflags, (unsigned long long)read_cr0(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	fw_stop();
}

bool cpu_has_1g_pages(void)
{
	if (cpuid(0x80000000, 0).a < 0x80000001)
		return false;
	return cpuid(0x80000001, 0).d & (1u << 26);
}

uint64_t cpu_image_phys(void)
{
	return image_phys;
}

uint64_t cpu_virt_to_phys(const volatile void *p)
{
	return image_phys + ((uint64_t)(uintptr_t)p - image_virt);
}

uint64_t cpu_image_size(void)
{
	return image_size;
}

void cpu_fw_range(uint64_t *start, uint64_t *end)
{
	uint64_t own, own_size;
	platform_owned(&own, &own_size);
	*start = image_phys;
	*end = image_phys + image_size;
	if (own_size && own + own_size == image_phys)
		*start = own; /* PVH: the boot part, from 1 MiB */
}

/*
 * Page-table layout, all in one block at `at`:
 *   PML4 | the firmware window's PDPT, PD and PT | identity PDPTs |
 *   identity PDs (only without 1 GiB pages)
 * The identity map covers [0, end) rounded up to 1 GiB.
 */
static uint64_t gib(uint64_t end)
{
	return (end >> 30) + ((end & ((1ull << 30) - 1)) != 0); /* no wrap */
}

uint64_t cpu_paging_size(uint64_t end)
{
	uint64_t g = gib(end), pdpts = (g + 511) / 512;
	uint64_t pages = 1 + 3 + pdpts + (cpu_has_1g_pages() ? 0 : g);
	return pages * 4096;
}

uint64_t cpu_paging_build(uint64_t at, uint64_t end, uint64_t img_phys)
{
	uint64_t g = gib(end), pdpts = (g + 511) / 512;
	bool huge = cpu_has_1g_pages();
	uint64_t *t = phys_ptr(at);
	memset(t, 0, cpu_paging_size(end));
	uint64_t pml4 = at, w_pdpt = at + 0x1000, w_pd = at + 0x2000,
		 w_pt = at + 0x3000, id_pdpt = at + 0x4000,
		 id_pd = id_pdpt + pdpts * 0x1000;

	for (uint64_t i = 0; i < pdpts; i++)
		t[i] = (id_pdpt + i * 0x1000) | PTE_P | PTE_W;
	uint64_t *pdpt = phys_ptr(id_pdpt);
	for (uint64_t i = 0; i < g; i++) {
		if (huge)
			pdpt[i] = (i << 30) | PTE_P | PTE_W | PTE_PS;
		else
			pdpt[i] = (id_pd + i * 0x1000) | PTE_P | PTE_W;
	}
	if (!huge) {
		uint64_t *pd = phys_ptr(id_pd);
		for (uint64_t i = 0; i < g * 512; i++)
			pd[i] = (i << 21) | PTE_P | PTE_W | PTE_PS;
	}

	/* The window: the image's virtual pages onto img_phys, 4 KiB each.
	 * An image that runs where it was loaded (EFI) has none. */
	if (!platform_can_move())
		return at;
	uint64_t v = image_virt;
	t[511] = w_pdpt | PTE_P | PTE_W;
	((uint64_t *)phys_ptr(w_pdpt))[(v >> 30) & 511] = w_pd | PTE_P | PTE_W;
	((uint64_t *)phys_ptr(w_pd))[(v >> 21) & 511] = w_pt | PTE_P | PTE_W;
	uint64_t *pt = phys_ptr(w_pt);
	for (uint64_t off = 0; off < cpu_image_size(); off += 4096)
		pt[((v + off) >> 12) & 511] = (img_phys + off) | PTE_P | PTE_W;
	(void)pml4;
	return at;
}

void cpu_move_and_switch(uint64_t cr3, uint64_t new_phys)
{
	uint64_t len = new_phys == image_phys ? 0 : cpu_image_size();
	uint64_t old = image_phys;
	/* Set before the copy so the moved image already knows where it is. */
	image_phys = new_phys;
	cpu_switch(cr3, new_phys, old, len);
}

void cpu_write_gdt(uint8_t *at, uint64_t at_phys, uint8_t *desc)
{
	memset(at, 0, CPU_GDT_SIZE);
	memcpy(at, gdt, sizeof(gdt));
	/* 0x20: present 32-bit available TSS, base 0, limit 0x67, as the PVH
	 * ABI gives TR (the trampoline's LTR only marks it busy; nothing
	 * reads the TSS itself before the payload loads its own). In long
	 * mode the same type (0x9) is a 64-bit TSS whose descriptor is 16
	 * bytes, so the limit takes in 0x28-0x2F, left zero (base bits 63:32
	 * 0, the upper half's type 0): a 64-bit payload's LTR 0x20 reads all
	 * 16 and works; the trampoline's 32-bit LTR reads the first 8. */
	uint64_t d = 0x67 | 0x89ull << 40;
	memcpy(at + SEL_TSS, &d, sizeof(d));
	struct table_desc td = { SEL_TSS + 16 - 1, at_phys };
	memcpy(desc, &td, sizeof(td));
}

/*
 * The FPU/SSE state the firmware runs with and every payload gets
 * (docs/abi.md), set once at cpu_init (nothing writes CR0, CR4 or XCR0
 * after it; the handoff resets only the registers again):
 *   CR0: MP = 1, NE = 1, EM = 0, TS = 0;
 *   CR4: OSFXSR = 1, OSXMMEXCPT = 1, and OSXSAVE = 1 where the CPU has
 *        XSAVE, with XCR0 = x87 | SSE, plus AVX where the CPU has it;
 *   the x87 and SSE registers as FXRSTOR of an image that is zero but for
 *   the control word 0x37F and MXCSR 0x1F80: FNINIT's state with the data
 *   registers ST0-7 and XMM0-15 zero; with AVX, the upper halves of YMM0-15
 *   zero too (VZEROUPPER).
 */
static uint8_t fx_image[512] __attribute__((aligned(16)));
static bool avx_on; /* XCR0 has AVX */

static void vector_reset(void)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(fx_image));
	if (avx_on)
		__asm__ volatile("vzeroupper");
}

void cpu_fpu_reset(void)
{
	uint64_t cr0 = read_cr0();
	cr0 = (cr0 | CR0_MP | CR0_NE) & ~(uint64_t)(CR0_EM | CR0_TS);
	write_cr0(cr0);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	struct cpuid l1 = cpuid(1, 0);
	bool xsave = l1.c & (1u << 26);
	if (xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	uint64_t xcr0 = XCR0_X87 | XCR0_SSE;
	if (xsave) {
		uint64_t supported = cpuid(0xD, 0).a;
		if ((l1.c & (1u << 28)) && (supported & XCR0_AVX))
			xcr0 |= XCR0_AVX;
		__asm__ volatile("xsetbv"
				 :
				 : "c"(0), "a"((uint32_t)xcr0),
				   "d"((uint32_t)(xcr0 >> 32)));
	}
	/* Bytes 0-1 FCW, 24-27 MXCSR; the rest stays zero (.bss). An
	 * abridged tag word of 0 marks every x87 register empty. */
	put_u16(fx_image, FCW_DEFAULT);
	put_u32(fx_image + 24, MXCSR_DEFAULT);
	avx_on = xcr0 & XCR0_AVX;
	vector_reset();
}

/*
 * Everything else a payload's protocol does not set but a VMM, an EFI
 * firmware or an earlier loader may have left behind (docs/abi.md): no
 * LDT, debug registers at their reset values (no breakpoints), CR8 (TPR)
 * and CR2 zero, PAT at its reset value (with a TLB flush; every mapping the
 * firmware made uses PAT entry 0, WB in the reset value), the SYSCALL and
 * SYSENTER MSRs and KERNEL_GS_BASE zero. Then the x87, XMM and YMM
 * registers as cpu_fpu_reset left them at cpu_init (the firmware has used
 * SSE since).
 */
void cpu_handoff_reset(void)
{
	static const uint32_t zero_msrs[] = {
		MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,   MSR_STAR,
		MSR_LSTAR,	 MSR_SFMASK,	   MSR_KERNEL_GS_BASE,
	};
	__asm__ volatile("lldt %w0" : : "r"(0));
	__asm__ volatile("mov %0, %%dr7\n\t"
			 "mov %1, %%dr6\n\t"
			 "mov %2, %%dr0\n\t"
			 "mov %2, %%dr1\n\t"
			 "mov %2, %%dr2\n\t"
			 "mov %2, %%dr3"
			 :
			 : "r"((uint64_t)DR7_DEFAULT),
			   "r"((uint64_t)DR6_DEFAULT), "r"((uint64_t)0));
	write_cr8(0);
	write_cr2(0);
	wrmsr(MSR_PAT, PAT_DEFAULT);
	write_cr3(read_cr3()); /* no TLB entry keeps an old memory type */
	for (size_t i = 0; i < sizeof(zero_msrs) / sizeof(zero_msrs[0]); i++)
		wrmsr(zero_msrs[i], 0);
	vector_reset();
}
