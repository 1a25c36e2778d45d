// SPDX-License-Identifier: MIT
/*
 * fwcfg.c: read files QEMU passes with -fw_cfg name=opt/...,file=...
 *
 * Facts from QEMU's docs/specs/fw_cfg.rst: a 16-bit selector written to port
 * 0x510 picks an item, port 0x511 reads its bytes in order. Item 0 is the
 * signature "QEMU", item 1 a feature bitmap (bit 1: DMA), item 0x19 the file
 * directory: a big-endian u32 count, then per file {u32 size, u16 select,
 * u16 reserved, char name[56]}, all big-endian. DMA: the physical address of
 * a {u32 control, u32 length, u64 address} block (big-endian) is written to
 * ports 0x514 (high half) and 0x518 (low half, which starts it); QEMU
 * clears control when done, or leaves bit 0 set on error.
 *
 * The file directory is read once, by one DMA transfer where QEMU offers
 * DMA, and searched in memory: reading it port by port is 64 port reads per
 * file per lookup, and under KVM every port read is an exit to the VMM. A
 * directory of more than FWCFG_DIR_MAX files (only with a raised
 * x-file-slots) is read again for each lookup, that many files at a time.
 */
#include <string.h>

#include "fw.h"
#include "fwcfg.h"
#include "io.h"

#define FWCFG_SELECT 0x510
#define FWCFG_DATA 0x511
#define FWCFG_DMA_HI 0x514
#define FWCFG_DMA_LO 0x518
#define FWCFG_SIGNATURE 0x0000
#define FWCFG_FEATURES 0x0001
#define FWCFG_FILE_DIR 0x0019
#define FWCFG_FEATURE_DMA 0x2
#define DMA_ERROR 0x01
#define DMA_READ 0x02
#define DMA_SELECT 0x08

#define FWCFG_DIR_MAX 256
/* Polls of a DMA transfer before it is given up: 3 to 50 s, by the CPU. */
#define DMA_SPIN_MAX 1000000000u

struct fwcfg_file { /* as in the directory: big-endian */
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[56];
};

static int dma = -1; /* unknown */
/* The directory, or FWCFG_DIR_MAX files of it at a time; dir_cached when
 * it holds all of it (read by an earlier lookup). */
static struct fwcfg_file dir[FWCFG_DIR_MAX];
static uint32_t ndir;
static bool dir_cached;

static uint32_t be32(uint32_t x)
{
	return __builtin_bswap32(x);
}

static void select_item(uint16_t sel)
{
	outw(FWCFG_SELECT, sel);
}

static void read_pio(void *buf, uint32_t len)
{
	uint8_t *p = buf;
	for (uint32_t i = 0; i < len; i++)
		p[i] = inb(FWCFG_DATA);
}

bool fwcfg_present(void)
{
	char sig[4];
	select_item(FWCFG_SIGNATURE);
	read_pio(sig, 4);
	if (memcmp(sig, "QEMU", 4) != 0)
		return false;
	if (dma < 0) {
		uint32_t features = 0;
		select_item(FWCFG_FEATURES);
		read_pio(&features, 4);
		dma = (features & FWCFG_FEATURE_DMA) != 0;
	}
	return true;
}

/* One DMA transfer of len bytes to physical dst: from the start of item
 * `select`, or (select < 0) on from where the last read stopped. */
static bool dma_read(int select, uint64_t dst, uint32_t len)
{
	/* The block is in the firmware image, which is mapped through the
	 * firmware's window: QEMU gets its physical address. */
	static volatile struct {
		uint32_t control;
		uint32_t length;
		uint64_t address;
	} __attribute__((aligned(16))) blk;
	uint32_t control = DMA_READ;
	if (select >= 0)
		control |= (uint32_t)select << 16 | DMA_SELECT;
	blk.control = be32(control);
	blk.length = be32(len);
	blk.address = __builtin_bswap64(dst);
	uint64_t at = cpu_virt_to_phys(&blk);
	__asm__ volatile("" ::: "memory");
	outl(FWCFG_DMA_HI, be32((uint32_t)(at >> 32)));
	outl(FWCFG_DMA_LO, be32((uint32_t)at));
	/* QEMU is done before outl returns; a device that never finishes
	 * gets seconds (DMA_SPIN_MAX pauses), not for ever. The
	 * transfer may still land later, so no port read is tried. */
	for (uint32_t spins = 0; be32(blk.control) & ~(uint32_t)DMA_ERROR;
	     spins++) {
		if (spins == DMA_SPIN_MAX)
			fw_fatal("fw_cfg",
				 "DMA read of %u bytes did not complete", len);
		__asm__ volatile("pause");
	}
	return !(be32(blk.control) & DMA_ERROR);
}

/* len bytes of item select (select < 0: on from where the last read
 * stopped) to buf, whose physical address is at, by DMA where QEMU has it.
 * Only a DMA read can fail. */
static bool read_item(int select, void *buf, uint64_t at, uint32_t len)
{
	if (dma == 1)
		return dma_read(select, at, len);
	if (select >= 0)
		select_item((uint16_t)select);
	read_pio(buf, len);
	return true;
}

/* The same into firmware memory (its image, mapped through the window). */
static bool read_fw(int select, void *buf, uint32_t len)
{
	return read_item(select, buf, cpu_virt_to_phys(buf), len);
}

static bool search(const char *name, uint16_t *select, uint32_t *size)
{
	for (uint32_t i = 0; i < ndir; i++) {
		dir[i].name[55] = '\0';
		if (strcmp(dir[i].name, name) == 0) {
			*size = be32(dir[i].size);
			*select = __builtin_bswap16(dir[i].select);
			return true;
		}
	}
	return false;
}

bool fwcfg_find(const char *name, uint16_t *select, uint32_t *size)
{
	if (dir_cached)
		return search(name, select, size);
	uint32_t count = 0;
	if (!read_fw(FWCFG_FILE_DIR, &count, sizeof(count)))
		goto dma_failed;
	count = be32(count);
	if (count > 4096)
		count = 4096;
	for (uint32_t done = 0; done < count; done += ndir) {
		ndir = count - done < FWCFG_DIR_MAX ? count - done
						    : FWCFG_DIR_MAX;
		if (!read_fw(-1, dir, ndir * (uint32_t)sizeof(dir[0])))
			goto dma_failed;
		dir_cached = ndir == count;
		if (search(name, select, size))
			return true;
	}
	return false;
dma_failed:
	/* Read it again by port (and everything after it). */
	dma = 0;
	return fwcfg_find(name, select, size);
}

void fwcfg_select_read(uint16_t select, void *buf, uint32_t len)
{
	if (!read_fw(select, buf, len)) {
		dma = 0; /* by port, then */
		read_fw(select, buf, len);
	}
}

bool fwcfg_read(uint16_t select, uint64_t dst, uint32_t len)
{
	return read_item(select, phys_ptr(dst), dst, len);
}
