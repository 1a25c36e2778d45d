// SPDX-License-Identifier: MIT
/*
 * start.c: the first C code, called by entry.asm on the payload's own stack
 * once the entry state has been captured: trap table, console, payload.
 */
#include "rt.h"

__attribute__((noreturn)) void rt_start(void);

void rt_start(void)
{
	trap_init();
	console_init();
	payload_main();
	con_printf("%s: payload_main returned\n", rt_name);
	rt_exit(RT_EXIT_FAIL);
}
