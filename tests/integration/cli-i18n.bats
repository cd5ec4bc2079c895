#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The German catalogue: complete and valid, and used by rdd. RDD_LOCALEDIR points rdd at the
# catalogue meson's i18n module builds in the build tree (po/de/LC_MESSAGES/rdd.mo), which the
# installed rdd finds under its prefix instead. Log lines that scripts read stay English unless
# they are marked for translation; help and usage texts are German.

bats_require_minimum_version 1.5.0
load cli-helpers

setup_file() {
    cli_setup i18n
    export RDD_LOCALEDIR="$RDD_BUILD_ROOT/po"
    mo="$RDD_LOCALEDIR/de/LC_MESSAGES/rdd.mo"
    if [ ! -f "$mo" ] || [ "$RDD_SOURCE_ROOT/po/de.po" -nt "$mo" ]; then
        # not built, or older than the catalogue (meson test builds only what tests depend
        # on): compile the catalogue of the source tree
        RDD_LOCALEDIR="$CLI_TMP/locale"
        mkdir -p "$RDD_LOCALEDIR/de/LC_MESSAGES"
        msgfmt -o "$RDD_LOCALEDIR/de/LC_MESSAGES/rdd.mo" "$RDD_SOURCE_ROOT/po/de.po"
    fi
}

teardown_file() {
    cli_teardown
}

@test "po/de.po is valid and translates every message" {
    require_msgfmt
    run msgfmt --check --statistics -o /dev/null "$RDD_SOURCE_ROOT/po/de.po"
    assert_status 0
    [[ "$output" =~ ^[0-9]+\ translated\ messages\.$ ]]
    refute_output_contains "untranslated"
    refute_output_contains "fuzzy"
}

@test "po/de.po knows every message of rdd.pot" {
    require_msgfmt
    # a message in the template but not in the catalogue would be shown in English
    run msgcmp "$RDD_SOURCE_ROOT/po/de.po" "$RDD_SOURCE_ROOT/po/rdd.pot"
    assert_status 0
}

@test "LANGUAGE=de with C.UTF-8: rdd --help is German" {
    LANGUAGE=de LC_ALL=C.UTF-8 run "$RDD" --help
    assert_status 0
    assert_output_contains "rdd verwaltet die Hintergrunddienste von Rancher Desktop."
    assert_output_contains "Befehle:"
    assert_output_contains "Globale Optionen:"
    assert_output_contains "Die Steuerungsebene starten"
    assert_output_contains "Exit-Codes: 0 Erfolg"
    refute_output_contains "Commands:"
}

@test "LANGUAGE=de LANG=de_DE.UTF-8: German, whether or not that locale is generated" {
    LANGUAGE=de LANG=de_DE.UTF-8 run env -u LC_ALL "$RDD" --help
    assert_status 0
    assert_output_contains "Befehle:"
    # LANG alone, no LANGUAGE
    run env -u LC_ALL -u LANGUAGE LANG=de_DE.UTF-8 "$RDD" --help
    assert_status 0
    assert_output_contains "Befehle:"
}

@test "command help, usage errors and descriptions are German" {
    LANGUAGE=de run "$RDD" svc start --help
    assert_status 0
    assert_output_contains "Die Steuerungsebene starten (und bei Bedarf anlegen)"
    assert_output_contains "--timeout=DAUER"
    assert_output_contains "Wie lange auf die Bereitschaft gewartet wird"
    LANGUAGE=de run "$RDD" frobnicate
    assert_status 2
    assert_output_contains 'msg="Unbekannter Befehl „frobnicate“ für „rdd“"'
    LANGUAGE=de run "$RDD" svc status --frobnicate
    assert_status 2
    assert_output_contains 'Unbekannte Option: --frobnicate'
    LANGUAGE=de run "$RDD" svc start --timeout 5x
    assert_status 2
    assert_output_contains 'Ungültiges Argument „5x“ für die Option „timeout“'
}

@test "the C locale and other languages stay English" {
    LANGUAGE=de LC_ALL=C run "$RDD" --help
    assert_output_contains "Commands:"
    LANGUAGE=fr LC_ALL=C.UTF-8 run "$RDD" --help
    assert_output_contains "Commands:"
    run "$RDD" --help
    assert_output_contains "Commands:"
}

@test "without RDD_LOCALEDIR rdd looks under its install prefix" {
    # nothing is installed there in a build tree: English, and no error
    LANGUAGE=de RDD_LOCALEDIR='' run "$RDD" version
    assert_status 0
    [[ "$output" =~ ^v[0-9] ]]
}

require_msgfmt() {
    command -v msgfmt >/dev/null || skip "msgfmt is not installed (Debian: gettext)"
}
