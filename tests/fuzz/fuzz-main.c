/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Replays a fuzz corpus through LLVMFuzzerTestOneInput without libFuzzer: every file in the
 * directories (or the files) named on the command line is fed once. A crash, an ASan report or
 * a critical warning fails the test; a clean pass prints how many inputs ran.
 */

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gint
fuzz_main_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gboolean
fuzz_main_run_file(const gchar *path, guint *count)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(GError) error_local = NULL;

	if (!g_file_get_contents(path, &data, &len, &error_local)) {
		g_printerr("cannot read %s: %s\n", path, error_local->message);
		return FALSE;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	(*count)++;
	return TRUE;
}

int
main(int argc, char **argv)
{
	guint count = 0;

	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
	for (int i = 1; i < argc; i++) {
		if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
			g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
			const gchar *name;
			if (dir == NULL)
				return 1;
			while ((name = g_dir_read_name(dir)) != NULL)
				g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
			g_ptr_array_sort(names, fuzz_main_compare);
			for (guint j = 0; j < names->len; j++) {
				if (!fuzz_main_run_file(g_ptr_array_index(names, j), &count))
					return 1;
			}
		} else if (!fuzz_main_run_file(argv[i], &count)) {
			return 1;
		}
	}
	if (count == 0) {
		g_printerr("no corpus inputs found\n");
		return 1;
	}
	g_print("%u inputs replayed\n", count);
	return 0;
}
