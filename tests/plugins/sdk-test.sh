#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rdd authors
#
# The plugin SDK as a third party sees it, and the daemon against the broken fixtures.
#
#   sdk-test.sh example   install rdd into a temporary DESTDIR, build docs/examples/hello-plugin
#                         against the installed rdd-core.pc, load it into rdd-daemon
#   sdk-test.sh fixtures  rdd-daemon --immediate-exit --plugin-dir <fixtures> exits 0 although
#                         most fixtures are broken on purpose
#
# Environment (set by tests/plugins/meson.build): RDD_BUILD_ROOT, RDD_SOURCE_ROOT, RDD_DAEMON,
# RDD_FIXTURE_DIR and MESON. Exit status: 0 pass, 77 skip, anything else fail.

set -u

mode=${1:-example}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

for var in RDD_BUILD_ROOT RDD_SOURCE_ROOT RDD_DAEMON RDD_FIXTURE_DIR; do
	eval "value=\${$var:-}"
	[ -n "$value" ] || fail "$var is not set; run this through 'meson test'"
done
[ -x "$RDD_DAEMON" ] || fail "rdd-daemon not built at $RDD_DAEMON"

# the loader refuses group- or world-writable plugins: build them as an installer would
umask 022

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdd-sdk-test.XXXXXX") || fail "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT INT TERM

# the daemon's instance directories go here, never into the user's home
export HOME="$tmp/home"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_STATE_HOME="$HOME/.local/state"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" || fail "cannot create $HOME"
unset RDD_INSTANCE RDD_PLUGIN_PATH RDD_LOG_DIR RDD_LOG_LEVEL

# $1: log file, $2: text that must be in it
expect_log() {
	grep -F -e "$2" "$1" >/dev/null || {
		cat "$1" >&2
		fail "the daemon's log lacks: $2"
	}
}

run_fixtures() {
	log="$tmp/daemon.log"
	# register-false-no-error reports its own bug with a g_critical on purpose; the test
	# environment's G_DEBUG=fatal-criticals would turn that into an abort
	env -u G_DEBUG "$RDD_DAEMON" --immediate-exit --plugin-dir "$RDD_FIXTURE_DIR" \
		--log-level info 2>"$log"
	status=$?
	[ "$status" -eq 0 ] || {
		cat "$log" >&2
		fail "rdd-daemon exited with status $status with the fixture plugins"
	}
	expect_log "$log" "loaded plugin ok 1.2.3 (fixtures.rancherdesktop.io)"
	expect_log "$log" "loaded plugin reconcile-false"
	expect_log "$log" "does not export rdd_plugin_get_descriptor()"
	expect_log "$log" "was built for plugin ABI 2"
	expect_log "$log" "plugin register-fails failed to register: fixture refuses to register"
	expect_log "$log" "plugin register-false-no-error failed to register without saying why"
	expect_log "$log" "belongs to group \\\"elsewhere.example.com\\\""
	expect_log "$log" "is already registered by ok"
	echo "PASS: the daemon survived every broken fixture"
}

run_example() {
	meson=${MESON:-}
	if [ -z "$meson" ]; then
		meson=$(command -v meson) || skip "meson is not installed; cannot build the SDK example"
	fi
	command -v pkg-config >/dev/null || skip "pkg-config is not installed"

	destdir="$tmp/dest"
	"$meson" install -C "$RDD_BUILD_ROOT" --destdir "$destdir" --no-rebuild --quiet \
		>"$tmp/install.log" 2>&1 || {
		cat "$tmp/install.log" >&2
		fail "meson install into $destdir failed"
	}

	pc=$(find "$destdir" -name rdd-core.pc | head -n 1)
	[ -n "$pc" ] || fail "meson install did not install rdd-core.pc"
	corelib=$(find "$destdir" -name 'librdd-core.so*' | head -n 1)
	[ -n "$corelib" ] || fail "meson install did not install librdd-core"
	libdir=$(dirname "$corelib")

	# Point pkg-config at the staged rdd-core.pc. PKG_CONFIG_SYSROOT_DIR would also prefix the
	# system paths of glib and friends, which are not in the DESTDIR; relocate the prefix of
	# rdd-core.pc alone instead.
	mkdir -p "$tmp/pkgconfig"
	sed "s|^prefix=|prefix=$destdir|" "$pc" >"$tmp/pkgconfig/rdd-core.pc"
	export PKG_CONFIG_PATH="$tmp/pkgconfig"
	cflags=$(pkg-config --cflags rdd-core) || fail "pkg-config cannot resolve rdd-core"
	case "$cflags" in
	*"$destdir"*) ;;
	*) fail "pkg-config --cflags rdd-core does not point into the DESTDIR: $cflags" ;;
	esac
	includedir=$(pkg-config --variable=includedir rdd-core)
	[ -f "$includedir/rdd-1/rdd-core.h" ] || fail "rdd-core.h was not installed in $includedir/rdd-1"

	src="$RDD_SOURCE_ROOT/docs/examples/hello-plugin"
	build="$tmp/hello-build"
	"$meson" setup "$build" "$src" >"$tmp/setup.log" 2>&1 || {
		cat "$tmp/setup.log" >&2
		fail "meson setup of the SDK example failed"
	}
	"$meson" compile -C "$build" >"$tmp/compile.log" 2>&1 || {
		cat "$tmp/compile.log" >&2
		fail "building the SDK example failed"
	}
	[ -f "$build/libhello.so" ] || fail "the SDK example did not produce libhello.so"

	log="$tmp/daemon.log"
	LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$RDD_DAEMON" \
		--immediate-exit --no-persist --state-dir "$tmp/state" --plugin-dir "$build" \
		--log-level info 2>"$log"
	status=$?
	[ "$status" -eq 0 ] || {
		cat "$log" >&2
		fail "rdd-daemon exited with status $status with the SDK example"
	}
	expect_log "$log" "loaded plugin hello 1.0.0 (hello.example.com) from $build/libhello.so"
	if grep -E 'level=(warning|error|fatal)' "$log" >/dev/null; then
		cat "$log" >&2
		fail "the daemon complained while loading the SDK example"
	fi
	echo "PASS: the SDK example built against the installed rdd-core and loaded"
}

case "$mode" in
example) run_example ;;
fixtures) run_fixtures ;;
*) fail "unknown mode '$mode' (use example or fixtures)" ;;
esac
