// SPDX-License-Identifier: MIT
/*
 * sse.c: the one abicheck file compiled with SSE code generation (everything
 * else is -mgeneral-regs-only, so a broken FPU/SSE hand-off cannot make the
 * reporting itself trap). A division with an inexact result must set
 * MXCSR.PE and must not trap: with MXCSR = 0x1F80 every exception is masked.
 */
#include "abicheck.h"
#include "cpu.h"

void sse_probe(struct sse_result *r)
{
	/*
	 * volatile operands and result, and "memory" clobbers on the MXCSR
	 * accesses, keep the arithmetic between the two STMXCSRs.
	 */
	volatile double one = 1.0, three = 3.0, sum;
	double third;

	r->mxcsr_before = stmxcsr();
	ldmxcsr(r->mxcsr_before & ~MXCSR_FLAGS); /* start with clear flags */
	third = one / three;
	sum = third + third + third;
	r->mxcsr_after = stmxcsr();
	ldmxcsr(r->mxcsr_before);
	r->sum_ok = sum > 0.999999 && sum < 1.000001;
}
