// SPDX-License-Identifier: MIT
/* linux.c: build the boot_params ("zero page") of the Linux boot protocol. */
#include <string.h>

#include "../lib/view.h"
#include "linux.h"

void linux_bp_init(uint8_t *bp, uint32_t cmdline_max)
{
	memset(bp, 0, LINUX_BP_SIZE);
	put_u16(bp + LINUX_BP_BOOT_FLAG, LINUX_BOOT_FLAG);
	put_u32(bp + LINUX_BP_HEADER, LINUX_HDRS_MAGIC);
	put_u16(bp + LINUX_BP_VERSION, 0x020C);
	bp[LINUX_BP_TYPE_OF_LOADER] = 0xFF;
	put_u32(bp + LINUX_BP_KERNEL_ALIGNMENT, 0x01000000);
	put_u32(bp + LINUX_BP_CMDLINE_SIZE, cmdline_max);
}

uint32_t linux_bp_set_e820(uint8_t *bp, const struct memmap *mm)
{
	uint32_t n = mm->n < LINUX_E820_MAX ? mm->n : LINUX_E820_MAX;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e =
			bp + LINUX_BP_E820_TABLE + i * LINUX_E820_ENTRY_SIZE;
		put_u64(e, mm->e[i].addr);
		put_u64(e + 8, mm->e[i].size);
		put_u32(e + 16, mm->e[i].type);
	}
	bp[LINUX_BP_E820_ENTRIES] = (uint8_t)n;
	return mm->n - n;
}

void linux_bp_set_cmdline(uint8_t *bp, uint64_t paddr)
{
	put_u32(bp + LINUX_BP_CMD_LINE_PTR, (uint32_t)paddr);
	put_u32(bp + LINUX_BP_EXT_CMD_LINE_PTR, (uint32_t)(paddr >> 32));
}

void linux_bp_set_ramdisk(uint8_t *bp, uint64_t paddr, uint64_t size)
{
	put_u32(bp + LINUX_BP_RAMDISK_IMAGE, (uint32_t)paddr);
	put_u32(bp + LINUX_BP_EXT_RAMDISK_IMAGE, (uint32_t)(paddr >> 32));
	put_u32(bp + LINUX_BP_RAMDISK_SIZE, (uint32_t)size);
	put_u32(bp + LINUX_BP_EXT_RAMDISK_SIZE, (uint32_t)(size >> 32));
}

void linux_bp_set_rsdp(uint8_t *bp, uint64_t paddr)
{
	put_u64(bp + LINUX_BP_ACPI_RSDP, paddr);
}

void linux_bp_set_setup_data(uint8_t *bp, uint64_t paddr)
{
	put_u64(bp + LINUX_BP_SETUP_DATA, paddr);
}

size_t linux_setup_data_e820(uint8_t *buf, size_t cap, const struct memmap *mm,
			     uint32_t first)
{
	uint32_t n = mm->n < MEMMAP_MAX ? mm->n : MEMMAP_MAX;
	uint32_t count = first < n ? n - first : 0;
	size_t len = (size_t)count * LINUX_E820_ENTRY_SIZE;

	if (cap < LINUX_SETUP_DATA_HDR_SIZE ||
	    cap - LINUX_SETUP_DATA_HDR_SIZE < len)
		return 0;
	put_u64(buf, 0);
	put_u32(buf + 8, LINUX_SETUP_E820_EXT);
	put_u32(buf + 12, (uint32_t)len);
	for (uint32_t i = 0; i < count; i++) {
		const struct memmap_entry *m = &mm->e[first + i];
		uint8_t *e = buf + LINUX_SETUP_DATA_HDR_SIZE +
			     (size_t)i * LINUX_E820_ENTRY_SIZE;
		put_u64(e, m->addr);
		put_u64(e + 8, m->size);
		put_u32(e + 16, m->type);
	}
	return LINUX_SETUP_DATA_HDR_SIZE + len;
}
