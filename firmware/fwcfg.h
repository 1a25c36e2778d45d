// SPDX-License-Identifier: MIT
/* fwcfg.h: QEMU's fw_cfg interface (I/O ports 0x510/0x511, DMA at 0x514). */
#ifndef PVHFW_FWCFG_H
#define PVHFW_FWCFG_H

#include <stdbool.h>
#include <stdint.h>

/* True when fw_cfg answers with its "QEMU" signature. */
bool fwcfg_present(void);

/* Looks a file up in the fw_cfg directory; false when it is not there. */
bool fwcfg_find(const char *name, uint16_t *select, uint32_t *size);

/* Reads len bytes of item select to physical address dst (identity-mapped
 * RAM), with DMA where QEMU offers it. False when the DMA reports an error. */
bool fwcfg_read(uint16_t select, uint64_t dst, uint32_t len);

/* Reads the first len bytes of item select into buf, firmware memory (by
 * DMA where QEMU offers it, else by port). */
void fwcfg_select_read(uint16_t select, void *buf, uint32_t len);

#endif
