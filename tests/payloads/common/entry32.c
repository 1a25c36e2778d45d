// SPDX-License-Identifier: MIT
/*
 * entry32.c: what pvhcheck and mbcheck do alike with the state their
 * 32-bit entry captured (common/entry32.h).
 */
#include "entry32.h"

#include "../pvhcheck/desc.h"
#include "check.h"
#include "cpu.h"
#include "handoff.h"
#include "rt.h"

uint16_t e32_gdtr_limit(const struct entry32 *e)
{
	uint16_t v;

	__builtin_memcpy(&v, e->r->gdtr, 2);
	return v;
}

uint32_t e32_gdtr_base(const struct entry32 *e)
{
	uint32_t v;

	__builtin_memcpy(&v, e->r->gdtr + 2, 4);
	return v;
}

const char *e32_lookup(const struct entry32 *e, uint32_t sel, uint64_t *d)
{
	return desc_lookup(e->gdt_copy, e->r->gdt_copied, e32_gdtr_limit(e),
			   sel, d);
}

void e32_print_entry(const struct entry32 *e)
{
	const struct entry32_regs *r = e->r;
	uint16_t idt_limit;
	uint32_t idt_base;

	__builtin_memcpy(&idt_limit, r->idtr, 2);
	__builtin_memcpy(&idt_base, r->idtr + 2, 4);
	con_printf("%s: entry: eax 0x%x ebx 0x%x ecx 0x%x edx 0x%x esi 0x%x "
		   "edi 0x%x ebp 0x%x esp 0x%x\n",
		   rt_name, r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi,
		   r->ebp, r->esp);
	con_printf("%s: entry: cr0 0x%x cr3 0x%x cr4 0x%x efer 0x%lx "
		   "eflags 0x%x\n",
		   rt_name, r->cr0, r->cr3, r->cr4, r->efer, r->eflags);
	con_printf("%s: entry: cs 0x%x ds 0x%x es 0x%x ss 0x%x fs 0x%x "
		   "gs 0x%x tr 0x%x ldtr 0x%x gdt 0x%x+0x%x idt 0x%x+0x%x\n",
		   rt_name, r->cs, r->ds, r->es, r->ss, r->fs, r->gs, r->tr,
		   r->ldtr, e32_gdtr_base(e), e32_gdtr_limit(e), idt_base,
		   idt_limit);
	uint16_t fcw, fsw;
	int loaded = 0;
	__builtin_memcpy(&fcw, r->fx + FX_FCW, 2);
	__builtin_memcpy(&fsw, r->fx + FX_FSW, 2);
	for (int i = 0; i < 8; i++)
		loaded += fx_st_nonzero(r->fx, i);
	con_printf("%s: entry: cr2 0x%x dr6 0x%x dr7 0x%x pat 0x%lx fcw 0x%x "
		   "fsw 0x%x ftw 0x%x st0-7 %d nonzero\n",
		   rt_name, r->cr2, r->dr6, r->dr7, r->pat, fcw, fsw,
		   r->fx[FX_FTW], loaded);
	uint32_t mxcsr;
	uint64_t q;
	int xmm = 0;
	__builtin_memcpy(&mxcsr, r->fx + FX_MXCSR, 4);
	for (int i = 0; i < 8; i++)
		for (int h = 0; h < 2; h++) {
			__builtin_memcpy(&q, r->fx + FX_XMM(i) + 8 * h, 8);
			if (q) {
				xmm++;
				break;
			}
		}
	con_printf("%s: entry: dr0 0x%x dr1 0x%x dr2 0x%x dr3 0x%x cr8 0x%x "
		   "mxcsr 0x%x xmm0-7 %d nonzero\n",
		   rt_name, r->dr0_3[0], r->dr0_3[1], r->dr0_3[2], r->dr0_3[3],
		   r->cr8, mxcsr, xmm);
	/* What only long mode sees: XMM8-15 and the YMM upper halves. */
	xmm = 0;
	for (int i = 8; i < 16; i++)
		for (int h = 0; h < 2; h++) {
			__builtin_memcpy(&q, r->fx + FX_XMM(i) + 8 * h, 8);
			if (q) {
				xmm++;
				break;
			}
		}
	con_printf("%s: entry: xmm8-15 %d nonzero xcr0 ", rt_name, xmm);
	if (!(r->have & E32_HAVE_XCR0))
		con_printf("unread ymm0-15-upper unread (no XSAVE)\n");
	else if (!(r->have & E32_HAVE_YMM))
		con_printf("0x%lx ymm0-15-upper unread (no AVX in XCR0)\n",
			   r->xcr0);
	else
		con_printf("0x%lx ymm0-15-upper %d nonzero\n", r->xcr0,
			   ymm_hi_nonzero(r->xsave, sizeof(r->xsave)));
}

void e32_check_pvhfw_reset(const struct entry32 *e)
{
	const struct entry32_regs *r = e->r;
	_Static_assert((int)E32_MSR_STAR == PVHFW_ZMSR_STAR &&
			       (int)E32_MSR_SYSENTER_EIP ==
				       PVHFW_ZMSR_SYSENTER_EIP &&
			       (int)E32_MSR_COUNT == PVHFW_ZMSR_FS_BASE,
		       "entry32.inc's MSRs are PVHFW_ZMSR_* up to FS_BASE");
	struct pvhfw_reset rs = {
		.ldtr = r->ldtr,
		.dr6 = r->dr6,
		.dr7 = r->dr7,
		.cr2 = r->cr2,
		.cr8 = r->cr8,
		.pat = r->pat,
		.zero_msrs = r->msr,
		.n_zero_msrs = E32_MSR_COUNT,
	};

	for (int i = 0; i < 4; i++)
		rs.dr0_3[i] = r->dr0_3[i];
	check_pvhfw_reset(&rs);

	check_begin("pvhfw.vector");
	expect_pvhfw_fx(r->fx, 16); /* XMM8-15 from 64-bit mode */
	if (r->have & E32_HAVE_YMM)
		expect_pvhfw_ymm(r->xsave, sizeof(r->xsave));
	else if (r->have & E32_HAVE_XCR0)
		check_info(
			"YMM upper halves not checked: XCR0 0x%lx has no AVX",
			r->xcr0);
	else
		check_info("YMM upper halves not checked: no XSAVE");
	check_end();
}

void e32_data_segments(const struct entry32 *e, const char *const *names,
		       const uint32_t *sels, int n, int null_ok)
{
	char text[160];
	const char *why;
	uint64_t d;
	unsigned p;

	for (int i = 0; i < n; i++) {
		if (null_ok && (sels[i] & ~3u) == 0) {
			check_info("%s=0x%x null", names[i], sels[i]);
			continue;
		}
		if ((why = e32_lookup(e, sels[i], &d))) {
			check_fail("%s=0x%x: %s", names[i], sels[i], why);
			continue;
		}
		p = desc_check_data32(d);
		if (p)
			check_fail("%s=0x%x desc 0x%016lx: %s", names[i],
				   sels[i], d,
				   desc_problems(p, text, sizeof(text)));
		else
			check_info("%s=0x%x flat", names[i], sels[i]);
	}
}
