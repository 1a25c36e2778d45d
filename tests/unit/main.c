// SPDX-License-Identifier: MIT
/* main.c: runs every unit-test suite and prints Check's summary line. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(memmap_suite());
	srunner_add_suite(sr, elf_suite());
	srunner_add_suite(sr, acpi_suite());
	srunner_add_suite(sr, pvh_suite());
	srunner_add_suite(sr, lib_suite());
	srunner_add_suite(sr, bzimage_suite());
	srunner_add_suite(sr, bundle_suite());
	srunner_add_suite(sr, sha256_suite());
	srunner_add_suite(sr, multiboot_suite());
	srunner_add_suite(sr, memmap_efi_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
