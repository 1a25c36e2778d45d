// SPDX-License-Identifier: MIT
/*
 * platform_efi.c: the EFI way in (build/fw.efi), and the only firmware code
 * that calls EFI. GNU-EFI's crt0 applies the image's relocations and calls
 * efi_main. With boot services running:
 *   1. take the TSC, send the console to ConOut, stop the watchdog;
 *   2. the command line from the loaded image's LoadOptions (UTF-16 to
 *      ASCII, the image name dropped); fw.panic=, fw.console= and
 *      fw.loglevel= apply at once (also to this step's own errors);
 *      fw.payload= and fw.module= are taken out of it here;
 *   3. the ACPI RSDP from the configuration table (a valid one: 2.0 GUID,
 *      then 1.0);
 *   4. the payload (fw.payload=, default \pvhfw\kernel; not when QEMU's
 *      fw_cfg has opt/pvhfw/kernel, which takes precedence, source.c) and
 *      every fw.module= read from the volume fw.efi came from, into
 *      LoaderData pages (below 4 GiB where there is room); with no file
 *      to read no volume is opened (a PXE boot has none);
 *   5. one LoaderData block for the rest of the firmware's life: its page
 *      tables, the final EFI memory map and its stack, sized from a first
 *      look at the map, which also becomes the E820 map step 6 works on
 *      (phys then covers what step 8's identity map will);
 *   6. fw_main_efi_early (main.c): the options, and the payload found,
 *      measured and planned by the same code as on PVH, unless fw_cfg
 *      has it; its errors reach ConOut and go back to EFI;
 *   7. GetMemoryMap and ExitBootServices, again with a fresh map while
 *      the key is stale (nothing else may be called in between);
 * then, boot services gone, interrupts off:
 *   8. the map converted to E820 types (memmap/efi.h); our own identity map
 *      up to the end of RAM and ACPI tables, at least 4 GiB, at most 2^47
 *      (memmap_efi_map_end; MMIO beyond stays unmapped; the EFI tables live
 *      in memory that is RAM now), CR0, CR4 and EFER as the PVH entry
 *      leaves them;
 *   9. fw_main_efi on our stack, with the final map: the rest of the
 *      common pipeline (platform_collect ran in step 6).
 * fw.efi refuses to start under 5-level paging (CR4.LA57), which it cannot
 * leave without leaving long mode.
 * A failure before step 7 is one `fw: <module>:` line, then fw.panic=: exit
 * leaves QEMU; poweroff asks EFI's ResetSystem to shut down; halt returns
 * to the EFI shell or boot manager instead.
 */
#include <efi.h>
#include <string.h>

#include "../../lib/cmdline.h"
#include "../../lib/fmt.h"
#include "../../memmap/efi.h"
#include "../console.h"
#include "../cpu_defs.h"
#include "../fw.h"
#include "../io.h"

#define KIB 1024ull
#define EFI_STACK_SIZE (64 * KIB)
#define MAX_FILES 16
#define PATH_MAX_CHARS 256
#define DEFAULT_PAYLOAD "\\pvhfw\\kernel"

__attribute__((noreturn)) void efi_call_on_stack(uint64_t top,
						 void (*fn)(uint64_t, uint64_t),
						 uint64_t a, uint64_t b);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

static EFI_HANDLE image_handle;
static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static bool boot_services;
static uint64_t img_base, img_size;

/* Step 5's block: page tables | EFI memory map | stack. */
static uint64_t scratch, scratch_size;
static uint64_t pt_at, pt_end;
static uint64_t efimap_at, efimap_cap, efimap_size, desc_size;
static uint32_t desc_version;
static uint32_t ebs_tries;

static char cmdline[BOOT_CMDLINE_MAX];
static char early_scratch[BOOT_CMDLINE_MAX];
static uint64_t rsdp;
static struct memmap map;

static struct {
	char path[PATH_MAX_CHARS];
	uint64_t paddr;
	uint64_t size;
	uint64_t pages; /* allocated at paddr, 0 once given back */
} files[MAX_FILES];
static uint32_t nfiles;
static uint64_t scratch_pages;

/* What fw.efi holds open while it reads (for release()). */
static EFI_FILE_HANDLE open_root, open_file;
static void *pool;

static const char *efi_strerror(EFI_STATUS s)
{
	switch (s) {
	case EFI_LOAD_ERROR:
		return "load error";
	case EFI_INVALID_PARAMETER:
		return "invalid parameter";
	case EFI_UNSUPPORTED:
		return "unsupported";
	case EFI_BUFFER_TOO_SMALL:
		return "buffer too small";
	case EFI_DEVICE_ERROR:
		return "device error";
	case EFI_OUT_OF_RESOURCES:
		return "out of resources";
	case EFI_VOLUME_CORRUPTED:
		return "volume corrupted";
	case EFI_NO_MEDIA:
		return "no media";
	case EFI_NOT_FOUND:
		return "not found";
	case EFI_ACCESS_DENIED:
		return "access denied";
	case EFI_ABORTED:
		return "aborted";
	case EFI_SECURITY_VIOLATION:
		return "security violation";
	default: {
		/* fw_fatal prints it before anything can ask again */
		static char other[32];
		fmt_snprintf(other, sizeof(other), "EFI status 0x%llx",
			     (unsigned long long)s);
		return other;
	}
	}
}

/* The console before ExitBootServices: ASCII to UTF-16, \n to \r\n. */
static void conout_write(const char *s, size_t n)
{
	CHAR16 buf[130];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			buf[k++] = L'\r';
		buf[k++] = (CHAR16)(unsigned char)s[i];
		if (k >= 126 || i + 1 == n) {
			buf[k] = 0;
			uefi_call_wrapper(st->ConOut->OutputString, 2,
					  st->ConOut, buf);
			k = 0;
		}
	}
}

/*
 * Before a stop while boot services run: the open file and volume, the
 * memory-map buffer, and the pages of the files and of step 5's block go
 * back to EFI (nothing is left for the shell or boot manager to leak).
 */
static void release(void)
{
	if (open_file)
		uefi_call_wrapper(open_file->Close, 1, open_file);
	if (open_root)
		uefi_call_wrapper(open_root->Close, 1, open_root);
	if (pool)
		uefi_call_wrapper(bs->FreePool, 1, pool);
	open_file = open_root = NULL;
	pool = NULL;
	for (uint32_t i = 0; i < MAX_FILES; i++)
		if (files[i].pages)
			uefi_call_wrapper(bs->FreePages, 2, files[i].paddr,
					  files[i].pages);
	if (scratch_pages)
		uefi_call_wrapper(bs->FreePages, 2, scratch, scratch_pages);
	for (uint32_t i = 0; i < MAX_FILES; i++)
		files[i].pages = 0;
	scratch_pages = 0;
}

/*
 * fw_stop's last step before ExitBootServices. fw.panic=poweroff: the
 * runtime services' ResetSystem, as power_off() has no ACPI plan yet
 * (power_setup runs in fw_main_efi); fw.panic=halt, or a ResetSystem that
 * returns: back to the shell or boot manager.
 */
void platform_stop(void)
{
	if (!boot_services)
		return;
	__asm__ volatile("sti");
	release();
	if (fw_opt.panic == PANIC_POWEROFF)
		uefi_call_wrapper(st->RuntimeServices->ResetSystem, 4,
				  EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	console_puts("fw: stop: back to EFI (boot services still run)\n");
	uefi_call_wrapper(bs->Exit, 4, image_handle, EFI_ABORTED, 0, NULL);
}

bool platform_can_move(void)
{
	return false;
}

bool platform_maps(uint64_t end)
{
	(void)end;
	return false; /* the EFI firmware's tables, in memory now free */
}

void platform_image(uint64_t *virt, uint64_t *phys, uint64_t *size)
{
	*virt = img_base;
	*phys = img_base;
	*size = img_size;
}

void platform_owned(uint64_t *phys, uint64_t *size)
{
	*phys = scratch;
	*size = scratch_size;
}

/* The length of the word at s (quotes keep spaces inside, as cmdline.h). */
static size_t word_len(const char *s)
{
	bool quoted = false;
	size_t n = 0;
	for (; s[n]; n++) {
		if (s[n] == '"')
			quoted = !quoted;
		else if (!quoted &&
			 (s[n] == ' ' || s[n] == '\t' || s[n] == '\n'))
			break;
	}
	return n;
}

static bool has_prefix(const char *w, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && strncmp(w, p, k) == 0;
}

/* The payload, when read from the volume, and the modules: MAX_FILES. */
__attribute__((noreturn)) static void too_many_files(void)
{
	fw_fatal("efi", "more than %u files (fw.payload= and fw.module=)",
		 MAX_FILES);
}

static void add_file(const char *path, size_t n)
{
	if (nfiles == MAX_FILES)
		too_many_files();
	if (n == 0 || n >= PATH_MAX_CHARS)
		fw_fatal("efi", "file path '%.*s' is empty or too long", (int)n,
			 path);
	memcpy(files[nfiles].path, path, n);
	files[nfiles].path[n] = '\0';
	nfiles++;
}

static void append(char *to, size_t cap, const char *w, size_t n)
{
	size_t len = strlen(to);
	if (len + (len ? 1 : 0) + n + 1 > cap)
		fw_fatal("efi", "command line longer than %zu bytes", cap - 1);
	if (len)
		to[len++] = ' ';
	memcpy(to + len, w, n);
	to[len + n] = '\0';
}

/*
 * The name fw.efi was loaded as ("fw.efi"): the last component of the
 * last file-path node of its loaded image's FilePath, in ASCII; "" when
 * it has none (a PXE boot) or the name does not fit.
 */
static void image_file_name(const EFI_LOADED_IMAGE *li, char *out, size_t cap)
{
	out[0] = '\0';
	EFI_DEVICE_PATH *dp = li->FilePath;
	for (int nodes = 0; dp && nodes < 64 && !IsDevicePathEnd(dp); nodes++) {
		size_t len = DevicePathNodeLength(dp);
		if (len < 4)
			break; /* malformed: no next node */
		if (DevicePathType(dp) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(dp) == MEDIA_FILEPATH_DP) {
			const CHAR16 *p =
				((FILEPATH_DEVICE_PATH *)dp)->PathName;
			size_t k = 0;
			bool fits = true;
			for (size_t i = 0; i < (len - 4) / 2 && p[i]; i++) {
				if (p[i] == L'\\' || p[i] == L'/') {
					k = 0;
					fits = true;
				} else if (k + 1 < cap) {
					out[k++] = p[i] >= 0x20 && p[i] < 0x7F
							   ? (char)p[i]
							   : '?';
				} else {
					fits = false;
				}
			}
			out[fits ? k : 0] = '\0';
		}
		dp = NextDevicePathNode(dp);
	}
}

/*
 * Step 2. LoadOptions: UTF-16, not always NUL-terminated; characters
 * below 0x20 become spaces, non-ASCII ones '?'. fw.payload= (one, the
 * default when none, neither when fw_cfg has the payload) and fw.module=
 * (in order) become files[]; the other
 * words, the first dropped when it is the image name (cmdline.h; the UEFI
 * shell passes the command as typed: "fw" for \fw.efi), are the command
 * line.
 */
static void read_cmdline(EFI_LOADED_IMAGE *li)
{
	static char raw[BOOT_CMDLINE_MAX];
	char name[PATH_MAX_CHARS];
	image_file_name(li, name, sizeof(name));
	const CHAR16 *w = li->LoadOptions;
	size_t n = w ? li->LoadOptionsSize / 2 : 0, k = 0;
	bool cut = false;
	for (size_t i = 0; i < n && w[i] && !cut; i++) {
		CHAR16 c = w[i];
		if (k + 1 < sizeof(raw))
			raw[k++] = c < 0x20 ? ' ' : c < 0x7F ? (char)c : '?';
		else
			cut = true;
	}
	raw[k] = '\0';
	/* fw.panic=, fw.console= and fw.loglevel= at once (options.c's first
	 * pass; the other words are not applied), so that the errors below
	 * print and stop as they ask. */
	options_early(raw, early_scratch, sizeof(early_scratch));
	if (cut)
		fw_fatal("efi", "command line longer than %zu bytes",
			 sizeof(raw) - 1);

	const char *payload = NULL;
	size_t payload_len = 0;
	struct {
		const char *at; /* in raw */
		size_t len;
	} mods[MAX_FILES];
	uint32_t nmods = 0;
	bool first = true;
	for (const char *s = raw; *s;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		size_t len = word_len(s);
		if (!len)
			break;
		if (first && cmdline_is_image_name(s, len, name)) {
			/* dropped */
		} else if (has_prefix(s, len, "fw.payload=")) {
			payload = s + 11;
			payload_len = len - 11;
		} else if (has_prefix(s, len, "fw.module=")) {
			/* add_file checks the total and the length. */
			if (nmods == MAX_FILES)
				too_many_files();
			mods[nmods].at = s + 10;
			mods[nmods++].len = len - 10;
		} else {
			append(cmdline, sizeof(cmdline), s, len);
		}
		first = false;
		s += len;
	}
	/* fw_cfg's opt/pvhfw/kernel, when QEMU passes it, is the payload as on
	 * a PVH boot (source.c): then the ESP's is not read, nor needed. */
	uint16_t sel;
	uint32_t size;
	if (source_fwcfg_kernel(&sel, &size)) {
		if (payload)
			log_warn("efi",
				 "fw.payload=%.*s not read: fw_cfg's "
				 "opt/pvhfw/kernel takes precedence",
				 (int)payload_len, payload);
	} else if (payload) {
		add_file(payload, payload_len);
	} else {
		add_file(DEFAULT_PAYLOAD, strlen(DEFAULT_PAYLOAD));
	}
	for (uint32_t i = 0; i < nmods; i++)
		add_file(mods[i].at, mods[i].len);
}

/*
 * Step 3: the configuration table's first ACPI 2.0 entry that holds a valid
 * RSDP, else its first valid ACPI 1.0 one, else (for fw_main_efi to warn
 * about) its first entry of either. Checked through phys as it is now, the
 * first 4 GiB: an RSDP above counts as invalid here, and is taken only when
 * no other entry is valid; fw_main_efi checks the hint again through its
 * own view.
 */
static void find_rsdp(void)
{
	EFI_GUID want[2] = { ACPI_20_TABLE_GUID, ACPI_TABLE_GUID };
	for (int g = 0; g < 2; g++)
		for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
			EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];
			if (!memcmp(&t->VendorGuid, &want[g], sizeof(EFI_GUID)))
				rsdp = acpi_rsdp_prefer(
					&phys, rsdp,
					(uint64_t)(uintptr_t)t->VendorTable);
		}
}

/* Pages for bytes, below 4 GiB where there is room; *npages of them. */
static uint64_t alloc_pages(uint64_t bytes, const char *what, uint64_t *npages)
{
	UINTN pages = (bytes + 4095) / 4096;
	EFI_PHYSICAL_ADDRESS at = 0xFFFFFFFF;
	if (!pages)
		pages = 1;
	*npages = pages;
	if (uefi_call_wrapper(bs->AllocatePages, 4, AllocateMaxAddress,
			      EfiLoaderData, pages, &at) == EFI_SUCCESS)
		return at;
	EFI_STATUS s = uefi_call_wrapper(bs->AllocatePages, 4, AllocateAnyPages,
					 EfiLoaderData, pages, &at);
	if (s != EFI_SUCCESS) {
		*npages = 0;
		fw_fatal("efi", "no memory for %s (%llu bytes): %s", what,
			 (unsigned long long)bytes, efi_strerror(s));
	}
	return at;
}

/* Step 4: one file, whole, into fresh pages. */
static void read_file(EFI_FILE_HANDLE root, uint32_t idx)
{
	const char *path = files[idx].path;
	CHAR16 wpath[PATH_MAX_CHARS];
	size_t n = strlen(path);
	for (size_t i = 0; i <= n; i++)
		wpath[i] = path[i] == '/' ? L'\\' : (CHAR16)path[i];
	EFI_FILE_HANDLE f;
	EFI_STATUS s = uefi_call_wrapper(root->Open, 5, root, &f, wpath,
					 EFI_FILE_MODE_READ, 0);
	if (s != EFI_SUCCESS)
		fw_fatal("efi", "%s: cannot open: %s", path, efi_strerror(s));
	open_file = f;
	static union {
		EFI_FILE_INFO info;
		uint8_t bytes[sizeof(EFI_FILE_INFO) + 2 * PATH_MAX_CHARS + 64];
	} fi;
	EFI_GUID info_id = EFI_FILE_INFO_ID;
	UINTN isz = sizeof(fi);
	s = uefi_call_wrapper(f->GetInfo, 4, f, &info_id, &isz, &fi);
	if (s != EFI_SUCCESS)
		fw_fatal("efi", "%s: no file information: %s", path,
			 efi_strerror(s));
	if (fi.info.Attribute & EFI_FILE_DIRECTORY)
		fw_fatal("efi", "%s is a directory", path);
	uint64_t size = fi.info.FileSize;
	uint64_t at = alloc_pages(size, path, &files[idx].pages);
	files[idx].paddr = at;
	uint64_t done = 0;
	while (done < size) {
		UINTN chunk = size - done;
		s = uefi_call_wrapper(f->Read, 3, f, &chunk,
				      (void *)(uintptr_t)(at + done));
		if (s != EFI_SUCCESS || chunk == 0)
			fw_fatal("efi",
				 "%s: read failed after %llu of %llu "
				 "bytes: %s",
				 path, (unsigned long long)done,
				 (unsigned long long)size,
				 s != EFI_SUCCESS ? efi_strerror(s)
						  : "end of file");
		done += chunk;
	}
	uefi_call_wrapper(f->Close, 1, f);
	open_file = NULL;
	files[idx].size = size;
	log_info("efi", "%s: %llu bytes at 0x%llx", path,
		 (unsigned long long)size, (unsigned long long)at);
}

/* Step 4: the files, from the volume fw.efi came from; a start that needs
 * none (fw_cfg's payload, no fw.module=) does not need a volume either: a
 * PXE boot has none. */
static void read_files(EFI_LOADED_IMAGE *li)
{
	if (nfiles == 0)
		return;
	EFI_GUID sfs_id = SIMPLE_FILE_SYSTEM_PROTOCOL;
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_STATUS s =
		uefi_call_wrapper(bs->HandleProtocol, 3, li->DeviceHandle,
				  &sfs_id, (void **)&sfs);
	if (s != EFI_SUCCESS)
		fw_fatal("efi",
			 "the device fw.efi was loaded from has no "
			 "file system: %s",
			 efi_strerror(s));
	EFI_FILE_HANDLE root;
	s = uefi_call_wrapper(sfs->OpenVolume, 2, sfs, &root);
	if (s != EFI_SUCCESS)
		fw_fatal("efi", "cannot open the volume: %s", efi_strerror(s));
	open_root = root;
	for (uint32_t i = 0; i < nfiles; i++)
		read_file(root, i);
	uefi_call_wrapper(root->Close, 1, root);
	open_root = NULL;
}

/* Boot services may be half gone after a failed ExitBootServices: the
 * console is COM1 from here on. */
static void boot_services_gone(void)
{
	boot_services = false;
	console_set_sink(NULL);
	console_init();
}

/* The EFI map in v (n descriptors of dsize bytes) as E820 into map, and
 * where the identity map must end (*end) and what the map reaches (*top). */
static enum memmap_efi_err convert_map(const struct view *v, uint64_t n,
				       uint64_t dsize, uint64_t *end,
				       uint64_t *top)
{
	memmap_init(&map);
	enum memmap_efi_err err = memmap_from_efi(&map, v, 0, n, dsize);
	if (!err)
		err = memmap_efi_map_end(v, 0, n, dsize, end, top);
	return err;
}

/* Before anything divides by it or strides by it. */
static void check_desc_size(UINTN dsize)
{
	if (!memmap_efi_desc_size_ok(dsize))
		fw_fatal("efi",
			 "GetMemoryMap's descriptor size is %llu bytes (at "
			 "least %u and a multiple of 8 expected)",
			 (unsigned long long)dsize, MEMMAP_EFI_DESC_MIN);
}

/*
 * Step 5. A first look at the map sizes the block: the identity map must
 * reach the end of RAM and ACPI tables (memmap_efi_map_end), and the
 * final map gets room for the descriptors allocations add meanwhile.
 */
static void alloc_scratch(void)
{
	/* A first call for the size. On EFI_BUFFER_TOO_SMALL the spec
	 * promises only MemoryMapSize, not DescriptorSize: that one is sure
	 * only with the map itself. The buffer has room for 8 more
	 * descriptors (the pool allocation may add some): 64 bytes each
	 * while their size is not known. */
	UINTN size = 0, key, dsize = 0;
	UINT32 dver;
	void *buf = NULL;
	EFI_STATUS s = uefi_call_wrapper(bs->GetMemoryMap, 5, &size, NULL, &key,
					 &dsize, &dver);
	for (int tries = 0; s == EFI_BUFFER_TOO_SMALL && tries < 4; tries++) {
		if (buf)
			uefi_call_wrapper(bs->FreePool, 1, buf);
		buf = pool = NULL;
		size += 8 * (dsize >= MEMMAP_EFI_DESC_MIN ? dsize : 64);
		s = uefi_call_wrapper(bs->AllocatePool, 3, EfiLoaderData, size,
				      &buf);
		if (s != EFI_SUCCESS)
			fw_fatal("efi", "no memory for the memory map: %s",
				 efi_strerror(s));
		pool = buf;
		s = uefi_call_wrapper(bs->GetMemoryMap, 5, &size, buf, &key,
				      &dsize, &dver);
	}
	if (s != EFI_SUCCESS || !buf)
		fw_fatal("efi", "GetMemoryMap: %s",
			 s != EFI_SUCCESS ? efi_strerror(s) : "no map");
	check_desc_size(dsize);
	struct view v = view_make(buf, size);
	uint64_t top;
	/* The map as it is now, as E820, for fw_main_efi_early, which reads
	 * through phys as far as step 8's identity map will reach (EFI's own
	 * page tables map all that the EFI map describes). */
	enum memmap_efi_err err =
		convert_map(&v, size / dsize, dsize, &pt_end, &top);
	if (err)
		fw_fatal("efi", "%s", memmap_efi_strerror(err));
	phys.len = pt_end;
	if (top > pt_end)
		log_debug("efi",
			  "the identity map ends at 0x%llx: descriptors up "
			  "to 0x%llx beyond it (MMIO, reserved) stay unmapped",
			  (unsigned long long)pt_end, (unsigned long long)top);
	uefi_call_wrapper(bs->FreePool, 1, buf);
	pool = NULL;
	uint64_t pts = cpu_paging_size(pt_end);
	efimap_cap = size + 32 * dsize;
	efimap_cap = (efimap_cap + 4095) & ~4095ull;
	scratch_size = pts + efimap_cap + EFI_STACK_SIZE;
	scratch = alloc_pages(scratch_size,
			      "the firmware's stack and page tables",
			      &scratch_pages);
	pt_at = scratch;
	efimap_at = scratch + pts;
}

/* Step 7. Only GetMemoryMap and ExitBootServices after the first try. */
static void exit_boot_services(void)
{
	for (ebs_tries = 1;; ebs_tries++) {
		UINTN size = efimap_cap, key, dsize = 0;
		UINT32 dver;
		EFI_STATUS s = uefi_call_wrapper(
			bs->GetMemoryMap, 5, &size,
			(EFI_MEMORY_DESCRIPTOR *)(uintptr_t)efimap_at, &key,
			&dsize, &dver);
		if (s == EFI_SUCCESS) {
			if (!memmap_efi_desc_size_ok(dsize)) {
				if (ebs_tries > 1)
					boot_services_gone();
				check_desc_size(dsize);
			}
			efimap_size = size;
			desc_size = dsize;
			desc_version = dver;
			s = uefi_call_wrapper(bs->ExitBootServices, 2,
					      image_handle, key);
			if (s == EFI_SUCCESS)
				return;
		}
		if (ebs_tries == 1 && s != EFI_INVALID_PARAMETER)
			fw_fatal("efi", "%s: %s",
				 size == efimap_size ? "ExitBootServices"
						     : "GetMemoryMap",
				 efi_strerror(s));
		if (ebs_tries == 8) {
			boot_services_gone();
			fw_fatal("efi", "ExitBootServices failed 8 times: %s",
				 efi_strerror(s));
		}
	}
}

/* Step 8, boot services gone. */
static void take_over(void)
{
	__asm__ volatile("cli");
	boot_services = false;
	console_set_sink(NULL);
	struct view v =
		view_make((const void *)(uintptr_t)efimap_at, efimap_size);
	uint64_t end = pt_end, top;
	enum memmap_efi_err err =
		convert_map(&v, efimap_size / desc_size, desc_size, &end, &top);
	/* Our page tables first: EFI's are in memory that is RAM now. */
	uint64_t cr3 = cpu_paging_build(pt_at, end < pt_end ? end : pt_end, 0);
	write_cr3(cr3);
	write_cr4(CR4_PAE |
		  (read_cr4() & (CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE)));
	write_cr0(CR0_PE | CR0_MP | CR0_NE | CR0_PG);
	/* LME and LMA alone: NXE, SCE, FFXSR, SVME and the rest go. */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & (uint64_t)(EFER_LME | EFER_LMA));
	phys.len = end < pt_end ? end : pt_end;
	if (err || end > pt_end) {
		console_init();
		if (err)
			fw_fatal("efi", "%s", memmap_efi_strerror(err));
		fw_fatal("efi", "the memory map grew past 0x%llx",
			 (unsigned long long)pt_end);
	}
}

static bool announced;

bool platform_mb2_efi(struct mb2_efi *efi)
{
	*efi = (struct mb2_efi){
		.system_table = (uint64_t)(uintptr_t)st,
		.mmap = (const uint8_t *)(uintptr_t)efimap_at,
		.mmap_size = (uint32_t)efimap_size,
		.desc_size = (uint32_t)desc_size,
		.desc_version = desc_version,
	};
	return true;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	uint64_t tsc0 = rdtsc();
	image_handle = image;
	st = systab;
	bs = systab->BootServices;
	boot_services = true;
	time_init(tsc0);
	console_set_sink(conout_write);
	uefi_call_wrapper(bs->SetWatchdogTimer, 4, 0, 0, 0, NULL);

	EFI_GUID li_id = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li;
	EFI_STATUS s = uefi_call_wrapper(bs->HandleProtocol, 3, image, &li_id,
					 (void **)&li);
	if (s != EFI_SUCCESS)
		fw_fatal("efi", "no loaded image protocol: %s",
			 efi_strerror(s));
	img_base = (uint64_t)(uintptr_t)li->ImageBase;
	img_size = (li->ImageSize + 4095) & ~4095ull;
	read_cmdline(li);
	if (fw_opt.loglevel >= LOG_INFO) {
		console_puts("fw: pvhfw " FW_VERSION "\n");
		announced = true;
	}
	log_info("efi",
		 "image at 0x%llx (%llu KiB), command line %zu bytes, "
		 "%u file(s) to read",
		 (unsigned long long)img_base,
		 (unsigned long long)(img_size / KIB), strlen(cmdline), nfiles);
	/* Leaving 5-level paging means leaving long mode (CR4.LA57 can only
	 * change with paging off); take_over() only swaps CR3, so refuse
	 * here, while the EFI firmware can still take the error. */
	if (read_cr4() & CR4_LA57)
		fw_fatal("efi", "5-level paging (CR4.LA57) is on; fw.efi runs "
				"only under 4-level paging");
	find_rsdp();
	read_files(li);
	alloc_scratch();
	fw_main_efi_early();
	log_info("efi", "exiting boot services");
	exit_boot_services();
	take_over();
	efi_call_on_stack(scratch + scratch_size, fw_main_efi,
			  (uint64_t)(uintptr_t)&map, tsc0);
}

/* Called once, by fw_main_efi_early while boot services run: the memory
 * map is step 5's first look; fw_main_efi takes the final one. */
void platform_collect(struct boot_info *bi, uint64_t start_info)
{
	(void)start_info;
	bi->origin = nfiles ? files[0].path : "";
	bi->announced = announced;
	memcpy(bi->cmdline, cmdline, sizeof(bi->cmdline));
	bi->rsdp_hint = rsdp;
	memmap_copy(&bi->memmap, &map);
	bi->nmods = nfiles;
	for (uint32_t i = 0; i < nfiles; i++)
		bi->mod[i] =
			(struct boot_module){ files[i].paddr, files[i].size,
					      files[i].path };
}

void platform_report(void)
{
	log_info("efi",
		 "boot services exited (%u tr%s), %llu memory descriptors "
		 "of %llu bytes, %u file(s), RSDP 0x%llx",
		 ebs_tries, ebs_tries == 1 ? "y" : "ies",
		 (unsigned long long)(efimap_size / desc_size),
		 (unsigned long long)desc_size, nfiles,
		 (unsigned long long)rsdp);
}
