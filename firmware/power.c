// SPDX-License-Identifier: MIT
/*
 * power.c: what the firmware takes from the ACPI tables: how to power the
 * VM off (fw.panic=poweroff) and the PM timer, a read-only 3.579545 MHz
 * clock the boot log measures the TSC against when CPUID does not state
 * its rate (log.c).
 */
#include "fw.h"
#include "io.h"

static struct acpi_poweroff off;
/* A plan that writes a sleep control register in memory waits here until
 * power_check has seen, in the normalised memory map, that the register
 * is not RAM: a byte written into RAM on a fatal stop could land on the
 * firmware's own code, or the payload. */
static struct acpi_poweroff off_mem;

/*
 * Reads the FADT only for what needs it: the PM timer when the log will
 * print times (a level above quiet, or fw.measure=on's digests) and CPUID
 * gave no TSC rate, the poweroff plan when
 * fw.panic=poweroff. A quiet boot reads no ACPI table past the RSDP.
 */
void power_setup(const struct acpi_rsdp *rsdp)
{
	uint64_t fadt;
	uint32_t len;
	struct acpi_fadt f;
	bool timed = fw_opt.loglevel != LOG_QUIET || fw_opt.measure;
	bool poweroff = fw_opt.panic == PANIC_POWEROFF;
	/* The tests without calls first: a quiet boot returns here. */
	if (!rsdp || (!timed && !poweroff))
		return;
	bool timer = timed && !time_rate_known();
	if (!timer && !poweroff)
		return;
	if (acpi_find_table(&phys, rsdp, "FACP", 0, &fadt, &len) ||
	    acpi_fadt_parse(&phys, fadt, len, &f))
		return;
	if (timer)
		time_use_pmtimer(f.pm_tmr_port, f.pm_tmr_32bit);
	if (poweroff) {
		enum acpi_err err = acpi_poweroff_plan(&phys, rsdp, &off);
		if (err || off.how == ACPI_OFF_NONE)
			log_warn("acpi", "fw.panic=poweroff: %s",
				 err ? acpi_strerror(err)
				     : "the FADT gives no usable sleep "
				       "register");
		if (off.how == ACPI_OFF_SLEEP_REG &&
		    off.sleep_space == ACPI_GAS_MEMORY) {
			off_mem = off;
			off.how = ACPI_OFF_NONE;
		}
	}
}

void power_check(const struct memmap *mm)
{
	if (off_mem.how == ACPI_OFF_NONE)
		return;
	if (memmap_is_ram(mm, off_mem.sleep_addr, 1))
		log_warn("acpi",
			 "fw.panic=poweroff: the sleep control register "
			 "0x%llx is in RAM of the memory map",
			 (unsigned long long)off_mem.sleep_addr);
	else
		off = off_mem;
}

void power_off(void)
{
	switch (off.how) {
	case ACPI_OFF_PM1:
		outw(off.pm1a,
		     acpi_pm1_cnt_merge(inw(off.pm1a), off.pm1a_value));
		if (off.pm1b)
			outw(off.pm1b,
			     acpi_pm1_cnt_merge(inw(off.pm1b), off.pm1b_value));
		break;
	case ACPI_OFF_SLEEP_REG:
		if (off.sleep_space == ACPI_GAS_IO)
			outb((uint16_t)off.sleep_addr, off.sleep_value);
		else if (view_has(&phys, off.sleep_addr, 1)) /* still mapped */
			*(volatile uint8_t *)phys_ptr(off.sleep_addr) =
				off.sleep_value;
		break;
	default:
		break;
	}
}
