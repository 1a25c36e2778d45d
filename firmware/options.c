// SPDX-License-Identifier: MIT
/*
 * options.c: the firmware's fw. words. Every fw. word is consumed here;
 * one that is not known gets a warning, never a silent ignore. The table
 * below is also what fw.help prints, so the two cannot drift apart.
 *
 * A line is read twice: first for fw.panic=, fw.console= and fw.loglevel=
 * alone, silently, then for every word. So a warning or an error about any
 * word goes to the console asked for and stops as asked, wherever those
 * three stand on the line.
 */
#include <string.h>

#include "../crypto/sha256.h"
#include "../lib/cmdline.h"
#include "../lib/hex.h"
#include "console.h"
#include "fw.h"

struct fw_options fw_opt = {
	.loglevel = LOG_QUIET,
	.console = CONSOLE_SERIAL,
	.panic = PANIC_HALT,
	.exit_port = 0xF4,
};

/* The fw. words in effect, for the boot record: room for every source's
 * whole line (the VMM's, fw_cfg's and a bundle's), so never cut. */
static char used[BOOT_CMDLINE_MAX + 2 * BOOT_EXTRA_CMDLINE_MAX];

const char *options_used(void)
{
	return used;
}

struct choice {
	const char *word;
	int value;
};

static const struct choice loglevels[] = {
	{ "quiet", LOG_QUIET },
	{ "brief", LOG_BRIEF },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
	{ NULL, 0 },
};

static const struct choice consoles[] = {
	{ "serial", CONSOLE_SERIAL },
	{ "debugcon", CONSOLE_DEBUGCON },
	{ "both", CONSOLE_SERIAL | CONSOLE_DEBUGCON },
	{ "none", 0 },
	{ NULL, 0 },
};

static const struct choice panics[] = {
	{ "halt", PANIC_HALT },
	{ "exit", PANIC_EXIT },
	{ "poweroff", PANIC_POWEROFF },
	{ NULL, 0 },
};

static const struct choice selftests[] = {
	{ "none", SELFTEST_NONE },
	{ "trap", SELFTEST_TRAP },
	{ NULL, 0 },
};

static const struct choice protocols[] = {
	{ "auto", PAYLOAD_AUTO },
	{ "pvh", PAYLOAD_PVH },
	{ "linux", PAYLOAD_LINUX },
	{ "elf64", PAYLOAD_ELF64 },
	{ "multiboot1", PAYLOAD_MB1 },
	{ "multiboot2", PAYLOAD_MB2 },
	{ NULL, 0 },
};

static const struct choice onoff[] = {
	{ "on", 1 },
	{ "off", 0 },
	{ NULL, 0 },
};

static const struct {
	const char *key;
	const struct choice *choices;
	int *target;
	bool early; /* read in the first pass */
	const char *help;
} table[] = {
	{ "loglevel", loglevels, (int *)&fw_opt.loglevel, true,
	  "boot log detail: errors and warnings only, one line when the "
	  "payload starts, a line per stage, or more (default quiet)" },
	{ "console", consoles, (int *)&fw_opt.console, true,
	  "where the firmware prints (default serial)" },
	{ "panic", panics, (int *)&fw_opt.panic, true,
	  "what a fatal error does: halt the CPU, exit QEMU through "
	  "isa-debug-exit at port 0xf4 with status 255, or ACPI poweroff; "
	  "each halts if it did not stop the VM (default halt)" },
	{ "protocol", protocols, &fw_opt.protocol, false,
	  "how to boot the payload; auto detects: bzImage, Multiboot 1, "
	  "PVH note, Multiboot 2, then plain ELF64 (default auto)" },
	{ "measure", onoff, &fw_opt.measure, false,
	  "print the SHA-256 of the payload, of each module and of a "
	  "bundle's cmdline entry at any loglevel (default off; pins and the "
	  "record measure too, printed from brief up)" },
	{ "record", onoff, &fw_opt.record, false,
	  "hand the payload a boot record with the firmware version, the "
	  "hashes and these options (docs/measured-boot.md; default off)" },
	{ "selftest", selftests, &fw_opt.selftest, false,
	  "trap: fault on purpose after reading the options, to test the "
	  "trap printer (default none)" },
};

static bool eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncmp(s, word, n) == 0;
}

/* Messages echo at most this much of a word, then "...", so that what they
 * say about it fits on the line. */
#define ECHO_MAX 64
#define ECHO(n) ((int)((n) > ECHO_MAX ? ECHO_MAX : (n)))
#define ELLIPSIS(n) ((n) > ECHO_MAX ? "..." : "")

/* Parses a pin's digest into out; *given says one was set before, and
 * then it must be the same digest. */
static void pin(const char *key, size_t keylen, const char *val, size_t vallen,
		uint8_t *out, bool *given)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	if (!val || !sha256_parse_hex(val, vallen, d))
		fw_fatal("options",
			 "fw.%.*s=%.*s%s: not a SHA-256 (64 hex digits)",
			 ECHO(keylen), key, ECHO(vallen), val ? val : "",
			 ELLIPSIS(vallen));
	if (*given && memcmp(out, d, sizeof(d)) != 0)
		fw_fatal("options",
			 "fw.%.*s given twice, with different digests",
			 ECHO(keylen), key);
	memcpy(out, d, sizeof(d));
	*given = true;
}

/* fw.module.N.sha256: N in decimal. */
static bool module_pin(const char *key, size_t keylen, const char *val,
		       size_t vallen)
{
	if (keylen < 14 || strncmp(key, "module.", 7) != 0 ||
	    strncmp(key + keylen - 7, ".sha256", 7) != 0)
		return false;
	/* N: one digit at least, between "module." and ".sha256". */
	uint32_t n = 0;
	bool number = keylen > 14;
	for (size_t i = 7; number && i < keylen - 7; i++) {
		number = key[i] >= '0' && key[i] <= '9' && n <= 1000;
		n = n * 10 + (uint32_t)(key[i] - '0');
	}
	if (!number)
		fw_fatal("options", "fw.%.*s: bad module number", ECHO(keylen),
			 key);
	/* A second pin for the same module must say the same. */
	uint32_t j = 0;
	while (j < fw_opt.npins && fw_opt.pin[j].module != n)
		j++;
	bool given = j < fw_opt.npins;
	if (!given &&
	    fw_opt.npins == sizeof(fw_opt.pin) / sizeof(fw_opt.pin[0]))
		fw_fatal("options", "more than %zu fw.module.N.sha256 options",
			 sizeof(fw_opt.pin) / sizeof(fw_opt.pin[0]));
	fw_opt.pin[j].module = n;
	pin(key, keylen, val, vallen, fw_opt.pin[j].sha256, &given);
	if (j == fw_opt.npins)
		fw_opt.npins++;
	return true;
}

static void remember(const char *key, size_t keylen, const char *val,
		     size_t vallen)
{
	size_t len = strlen(used), cap = sizeof(used);
	size_t need = 3 + keylen + (val ? vallen + 1 : 0) + (len ? 1 : 0);
	if (len + need + 1 > cap) /* not reached: used holds every line */
		fw_fatal("options", "more fw. words than %zu bytes", cap - 1);
	/* " fw.<key>[=<value>]", copied (no formatter on a quiet boot). */
	char *d = used + len;
	if (len)
		*d++ = ' ';
	memcpy(d, "fw.", 3);
	memcpy(d + 3, key, keylen);
	d += 3 + keylen;
	if (val) {
		*d++ = '=';
		memcpy(d, val, vallen);
		d += vallen;
	}
	*d = '\0';
}

/*
 * ctx: NULL for the VMM's own words (its command line, fw_cfg's), else the
 * name of the module that carried them ("bundle"). Such a module is what
 * the pins and the measurement vouch for, so it cannot set them.
 */
static void apply(void *ctx, const char *key, size_t keylen, const char *val,
		  size_t vallen)
{
	const char *from = ctx;
	if (from && (eq(key, keylen, "sha256") || eq(key, keylen, "measure") ||
		     eq(key, keylen, "record") ||
		     (keylen >= 7 && strncmp(key, "module.", 7) == 0)))
		fw_fatal(from,
			 "fw.%.*s in its cmdline: pins, fw.measure and "
			 "fw.record come only from the VMM's command line, "
			 "as they vouch for the %s itself",
			 ECHO(keylen), key, from);
	remember(key, keylen, val, vallen);
	if (eq(key, keylen, "help") && !val) {
		fw_opt.help = true;
		return;
	}
	if (eq(key, keylen, "sha256")) {
		pin(key, keylen, val, vallen, fw_opt.payload_sha256,
		    &fw_opt.pin_payload);
		return;
	}
	if (module_pin(key, keylen, val, vallen))
		return;
	if (eq(key, keylen, "payload") || eq(key, keylen, "module")) {
		log_warn("options",
			 "fw.%.*s=: only the EFI entry reads it, from its "
			 "own command line (ignored)",
			 ECHO(keylen), key);
		return;
	}
	if (eq(key, keylen, "bootmarks")) {
		uint32_t port = 0;
		size_t i = 0, base = 10;
		if (val && vallen > 2 && val[0] == '0' &&
		    (val[1] == 'x' || val[1] == 'X')) {
			base = 16;
			i = 2;
		}
		for (; val && i < vallen; i++) {
			int d = hex_digit(val[i]);
			if (d < 0 || (size_t)d >= base || port > 0xFFFF)
				break;
			port = port * (uint32_t)base + (uint32_t)d;
		}
		if (!val || !vallen || i < vallen || port > 0xFFFF)
			log_warn("options",
				 "fw.bootmarks=%.*s%s: not an I/O port "
				 "number (ignored)",
				 ECHO(vallen), val ? val : "",
				 ELLIPSIS(vallen));
		else
			fw_opt.bootmarks = (uint16_t)port;
		return;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (!eq(key, keylen, table[i].key))
			continue;
		for (const struct choice *c = table[i].choices; val && c->word;
		     c++) {
			if (eq(val, vallen, c->word)) {
				*table[i].target = c->value;
				return;
			}
		}
		log_warn("options", "fw.%.*s: unknown value '%.*s%s' (ignored)",
			 ECHO(keylen), key, ECHO(vallen), val ? val : "",
			 ELLIPSIS(vallen));
		return;
	}
	size_t n = keylen + (val ? vallen + 1 : 0);
	log_warn("options",
		 "unknown option fw.%.*s%s (ignored, fw.help lists "
		 "the options)",
		 ECHO(n), key, ELLIPSIS(n));
}

/* The first pass: the console, the stop and the level, in silence (the
 * second pass warns about their values). */
static void apply_early(void *ctx, const char *key, size_t keylen,
			const char *val, size_t vallen)
{
	(void)ctx;
	for (size_t i = 0; val && i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].early && eq(key, keylen, table[i].key))
			for (const struct choice *c = table[i].choices; c->word;
			     c++)
				if (eq(val, vallen, c->word))
					*table[i].target = c->value;
}

void options_early(const char *line, char *scratch, size_t cap)
{
	(void)cmdline_split(line, scratch, cap, apply_early, NULL);
	console_select(fw_opt.console);
}

void options_parse(const char *line, char *payload, size_t cap)
{
	options_early(line, payload, cap);
	if (!cmdline_split(line, payload, cap, apply, NULL))
		fw_fatal("options",
			 "payload command line longer than %zu bytes", cap - 1);
}

void options_append(const char *words, const char *from, char *payload,
		    size_t cap)
{
	/* The words' payload part on its own first, so that a payload line
	 * already full refuses only words that would make it longer. */
	static char tail[BOOT_EXTRA_CMDLINE_MAX];
	options_early(words, tail, sizeof(tail));
	if (!cmdline_split(words, tail, sizeof(tail), apply, (void *)from))
		fw_fatal("options", "appended words longer than %zu bytes",
			 sizeof(tail) - 1);
	size_t len = strlen(payload), n = strlen(tail);
	if (n == 0)
		return;
	if (len + (len ? 1 : 0) + n + 1 > cap)
		fw_fatal("options",
			 "payload command line longer than %zu bytes", cap - 1);
	if (len)
		payload[len++] = ' ';
	memcpy(payload + len, tail, n + 1);
}

void options_help(void)
{
	console_puts("fw: help: firmware options (all other words go to the "
		     "payload):\n");
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		console_printf("fw: help:   fw.%s=", table[i].key);
		for (const struct choice *c = table[i].choices; c->word; c++)
			console_printf("%s%s", c->word, c[1].word ? "|" : "");
		console_printf("  %s\n", table[i].help);
	}
	console_puts("fw: help:   fw.sha256=<hex>  refuse any payload image "
		     "with another SHA-256\n");
	console_puts("fw: help:   fw.module.N.sha256=<hex>  the same for the "
		     "payload's module N\n");
	console_puts(
		"fw: help:   fw.bootmarks=<port>  write a stage code "
		"(0x01-0x07) to this I/O port at each stage, e.g. 0x80 for "
		"Cloud Hypervisor's debug port\n");
	console_puts("fw: help:   fw.payload=<path>  fw.module=<path>  (EFI "
		     "entry only) the payload and a module on the ESP\n");
	console_puts("fw: help:   fw.help  print this list\n");
}
