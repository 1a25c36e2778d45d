// SPDX-License-Identifier: MIT
/* suites.h: the Check suites of the unit tests, one per module. */
#ifndef PVHFW_TEST_SUITES_H
#define PVHFW_TEST_SUITES_H

#include <check.h>

Suite *memmap_suite(void);
Suite *elf_suite(void);
Suite *acpi_suite(void);
Suite *pvh_suite(void);
Suite *lib_suite(void);
Suite *bzimage_suite(void);
Suite *bundle_suite(void);
Suite *sha256_suite(void);
Suite *multiboot_suite(void);
Suite *memmap_efi_suite(void);

#endif
