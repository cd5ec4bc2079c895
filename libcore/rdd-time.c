/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-time.h"

#define RDD_TIME_SECONDS_PER_DAY 86400

/* days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil) */
static gint64
rdd_time_days_from_civil(gint64 y, guint m, guint d)
{
	gint64 era;
	guint yoe;
	guint doy;
	guint doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (guint)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (gint64)doe - 719468;
}

/* the inverse of rdd_time_days_from_civil() */
static void
rdd_time_civil_from_days(gint64 z, gint64 *year, guint *month, guint *day)
{
	gint64 era;
	guint doe;
	guint yoe;
	guint doy;
	guint mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (guint)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = (gint64)yoe + era * 400 + (*month <= 2);
}

static guint
rdd_time_days_in_month(gint64 year, guint month)
{
	static const guint days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month == 2 && leap)
		return 29;
	return days[month - 1];
}

/* quotes user text for a message: "..." with quotes, backslashes, control characters and bytes
 * that are not UTF-8 escaped, and very long text shortened */
static gchar *
rdd_time_quote(const gchar *text)
{
	GString *str = g_string_new("\"");
	gboolean utf8 = g_utf8_validate(text, -1, NULL);
	gsize n = 0;

	for (const guchar *p = (const guchar *)text; *p != '\0'; p++, n++) {
		if (n >= 64 && (!utf8 || (*p & 0xC0) != 0x80)) {
			g_string_append(str, "...");
			break;
		}
		if (*p == '"' || *p == '\\')
			g_string_append_printf(str, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7F || (*p >= 0x80 && !utf8))
			g_string_append_printf(str, "\\x%02x", *p);
		else
			g_string_append_c(str, (gchar)*p);
	}
	g_string_append_c(str, '"');
	return g_string_free(str, FALSE);
}

/**
 * rdd_time_format:
 * @unix_usec: microseconds since the Unix epoch
 *
 * Formats a time as Kubernetes writes a `metav1.Time`: RFC 3339 in UTC with second precision,
 * e.g. `2026-11-25T12:30:00Z`. Fractions of a second are dropped (rounding down, also before
 * 1970). Times outside the years 1 to 9999 are clamped to that range.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_time_format(gint64 unix_usec)
{
	gint64 secs = unix_usec / G_USEC_PER_SEC;
	gint64 min_secs = rdd_time_days_from_civil(1, 1, 1) * RDD_TIME_SECONDS_PER_DAY;
	gint64 max_secs = rdd_time_days_from_civil(9999, 12, 31) * RDD_TIME_SECONDS_PER_DAY +
			  RDD_TIME_SECONDS_PER_DAY - 1;
	gint64 days;
	gint64 rem;
	gint64 year = 0;
	guint month = 0;
	guint day = 0;

	if (unix_usec % G_USEC_PER_SEC < 0)
		secs--;
	secs = CLAMP(secs, min_secs, max_secs);
	days = secs / RDD_TIME_SECONDS_PER_DAY;
	rem = secs % RDD_TIME_SECONDS_PER_DAY;
	if (rem < 0) {
		days--;
		rem += RDD_TIME_SECONDS_PER_DAY;
	}
	rdd_time_civil_from_days(days, &year, &month, &day);
	return g_strdup_printf("%04d-%02u-%02uT%02d:%02d:%02dZ", (gint)year, month, day,
			       (gint)(rem / 3600), (gint)(rem / 60 % 60), (gint)(rem % 60));
}

/**
 * rdd_time_format_now:
 *
 * Formats the current time as rdd_time_format() does.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_time_format_now(void)
{
	return rdd_time_format(g_get_real_time());
}

/* reads exactly @n digits */
static gboolean
rdd_time_digits(const gchar **p, guint n, guint *value)
{
	guint v = 0;
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit((*p)[i]))
			return FALSE;
		v = v * 10 + (guint)((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return TRUE;
}

static gboolean
rdd_time_parse_fail(const gchar *text, const gchar *detail, GError **error)
{
	g_autofree gchar *quoted = rdd_time_quote(text);
	g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "invalid time %s: %s", quoted, detail);
	return FALSE;
}

/**
 * rdd_time_parse:
 * @text: an RFC 3339 time, e.g. `2026-11-25T12:30:00Z` or `2026-11-25T13:30:00.25+01:00`
 * @unix_usec: (out) (optional): the time in microseconds since the Unix epoch
 * @error: (nullable): optional return location for an error
 *
 * Parses an RFC 3339 (ISO 8601) date and time: `YYYY-MM-DD`, `T` (or `t` or a space),
 * `HH:MM:SS`, optionally a fraction of a second after `.` or `,` (digits beyond microseconds are
 * dropped), then a zone, which is required: `Z` (or `z`), or an offset `+HH:MM`, `+HHMM` or `+HH`
 * (or with `-`). Leap seconds (`:60`) are rejected, as Go's time.Parse does.
 *
 * Errors are %RDD_ERROR_INVALID naming the text.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_time_parse(const gchar *text, gint64 *unix_usec, GError **error)
{
	const gchar *p = text;
	guint year = 0;
	guint month = 0;
	guint day = 0;
	guint hour = 0;
	guint minute = 0;
	guint second = 0;
	gint64 usec = 0;
	gint64 offset = 0;
	gint64 secs;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!rdd_time_digits(&p, 4, &year) || *p++ != '-' || !rdd_time_digits(&p, 2, &month) ||
	    *p++ != '-' || !rdd_time_digits(&p, 2, &day)) {
		return rdd_time_parse_fail(text,
					   "expected an RFC 3339 date and time like "
					   "2026-11-25T12:30:00Z",
					   error);
	}
	if (*p != 'T' && *p != 't' && *p != ' ') {
		return rdd_time_parse_fail(text,
					   "expected 'T' and a time of day after the date, like "
					   "2026-11-25T12:30:00Z",
					   error);
	}
	p++;
	if (!rdd_time_digits(&p, 2, &hour) || *p++ != ':' || !rdd_time_digits(&p, 2, &minute) ||
	    *p++ != ':' || !rdd_time_digits(&p, 2, &second)) {
		return rdd_time_parse_fail(text,
					   "expected a time of day HH:MM:SS, like "
					   "2026-11-25T12:30:00Z",
					   error);
	}
	if (*p == '.' || *p == ',') {
		guint ndigits = 0;
		p++;
		if (!g_ascii_isdigit(*p))
			return rdd_time_parse_fail(text, "expected digits after the decimal point", error);
		for (; g_ascii_isdigit(*p); p++, ndigits++) {
			if (ndigits < 6)
				usec = usec * 10 + (*p - '0');
		}
		for (; ndigits < 6; ndigits++)
			usec *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		gint sign = *p == '-' ? -1 : 1;
		guint oh = 0;
		guint om = 0;
		p++;
		if (!rdd_time_digits(&p, 2, &oh))
			return rdd_time_parse_fail(text, "expected a zone offset like +01:00", error);
		if (*p == ':') {
			p++;
			if (!rdd_time_digits(&p, 2, &om))
				return rdd_time_parse_fail(text, "expected a zone offset like +01:00", error);
		} else if (g_ascii_isdigit(*p)) {
			if (!rdd_time_digits(&p, 2, &om))
				return rdd_time_parse_fail(text, "expected a zone offset like +01:00", error);
		}
		if (oh > 23 || om > 59)
			return rdd_time_parse_fail(text, "the zone offset is out of range", error);
		offset = sign * (gint64)(oh * 3600 + om * 60);
	} else if (*p == '\0') {
		return rdd_time_parse_fail(text,
					   "a time zone is required, 'Z' for UTC or an offset "
					   "like +01:00",
					   error);
	} else {
		return rdd_time_parse_fail(text,
					   "expected 'Z' or a zone offset like +01:00 after the "
					   "time of day",
					   error);
	}
	if (*p != '\0')
		return rdd_time_parse_fail(text, "unexpected text after the time zone", error);

	if (month < 1 || month > 12)
		return rdd_time_parse_fail(text, "the month is out of range", error);
	if (day < 1 || day > rdd_time_days_in_month(year, month))
		return rdd_time_parse_fail(text, "the day is out of range for the month", error);
	if (hour > 23)
		return rdd_time_parse_fail(text, "the hour is out of range", error);
	if (minute > 59)
		return rdd_time_parse_fail(text, "the minute is out of range", error);
	if (second > 59)
		return rdd_time_parse_fail(text, "the second is out of range", error);

	secs = rdd_time_days_from_civil(year, month, day) * RDD_TIME_SECONDS_PER_DAY + hour * 3600 +
	       minute * 60 + second - offset;
	if (unix_usec != NULL)
		*unix_usec = secs * G_USEC_PER_SEC + usec;
	return TRUE;
}

/* durations, as Go's time.ParseDuration ------------------------------------------------------ */

#define RDD_TIME_NS_MAX ((guint64)1 << 63)

#define RDD_TIME_DURATION_SYNTAX \
	"expected numbers with units, like 300ms, 1.5h or 2h45m (units: ns, us, ms, s, m, h)"
#define RDD_TIME_DURATION_RANGE "out of range, the limit is about 292 years (2562047h)"

static gboolean
rdd_time_duration_fail(const gchar *text, const gchar *detail, GError **error)
{
	g_autofree gchar *quoted = rdd_time_quote(text);
	g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "invalid duration %s: %s", quoted, detail);
	return FALSE;
}

/**
 * rdd_time_parse_duration:
 * @text: a duration, e.g. `300ms`, `1.5h`, `2h45m` or `-10s`
 * @usec: (out) (optional): the duration in microseconds
 * @error: (nullable): optional return location for an error
 *
 * Parses a duration with the syntax of Go's time.ParseDuration: an optional sign, then one or more
 * decimal numbers (with an optional fraction), each followed by a unit: `ns`, `us` (or `µs`),
 * `ms`, `s`, `m` or `h`. A bare `0` needs no unit. The range is that of Go's time.Duration (about
 * 292 years); the result is truncated to whole microseconds.
 *
 * Errors are %RDD_ERROR_INVALID naming the text, e.g. `missing unit in duration "5"` or
 * `unknown unit "x" in duration "5x"`.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_time_parse_duration(const gchar *text, gint64 *usec, GError **error)
{
	static const struct {
		const gchar *name;
		guint64 ns;
	} units[] = {
		{"ns", 1},
		{"us", 1000},
		{"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
		{"\xce\xbcs", 1000}, /* U+03BC Greek small letter mu */
		{"ms", 1000000},
		{"s", G_GUINT64_CONSTANT(1000000000)},
		{"m", G_GUINT64_CONSTANT(60000000000)},
		{"h", G_GUINT64_CONSTANT(3600000000000)},
	};
	const gchar *s = text;
	gboolean neg = FALSE;
	guint64 total = 0;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (g_strcmp0(s, "0") == 0) {
		if (usec != NULL)
			*usec = 0;
		return TRUE;
	}
	if (*s == '\0')
		return rdd_time_duration_fail(text, RDD_TIME_DURATION_SYNTAX, error);
	while (*s != '\0') {
		guint64 v = 0;
		guint64 f = 0;
		gdouble scale = 1;
		gboolean pre = FALSE;
		gboolean post = FALSE;
		gboolean overflow = FALSE;
		const gchar *unit_start;
		gsize unit_len;
		guint64 unit = 0;

		if (!(*s == '.' || g_ascii_isdigit(*s)))
			return rdd_time_duration_fail(text, RDD_TIME_DURATION_SYNTAX, error);
		/* the integer part */
		for (; g_ascii_isdigit(*s); s++) {
			pre = TRUE;
			if (v > RDD_TIME_NS_MAX / 10)
				return rdd_time_duration_fail(text, RDD_TIME_DURATION_RANGE, error);
			v = v * 10 + (guint64)(*s - '0');
			if (v > RDD_TIME_NS_MAX)
				return rdd_time_duration_fail(text, RDD_TIME_DURATION_RANGE, error);
		}
		/* the fraction, of which only as many digits count as fit */
		if (*s == '.') {
			s++;
			for (; g_ascii_isdigit(*s); s++) {
				guint64 y;
				post = TRUE;
				if (overflow)
					continue;
				if (f > (RDD_TIME_NS_MAX - 1) / 10) {
					overflow = TRUE;
					continue;
				}
				y = f * 10 + (guint64)(*s - '0');
				if (y > RDD_TIME_NS_MAX) {
					overflow = TRUE;
					continue;
				}
				f = y;
				scale *= 10;
			}
		}
		if (!pre && !post)
			return rdd_time_duration_fail(text, RDD_TIME_DURATION_SYNTAX, error);
		/* the unit: everything up to the next number */
		unit_start = s;
		while (*s != '\0' && *s != '.' && !g_ascii_isdigit(*s))
			s++;
		unit_len = s - unit_start;
		if (unit_len == 0) {
			g_autofree gchar *quoted = rdd_time_quote(text);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "missing unit in duration %s: expected one of ns, us, ms, s, "
				    "m, h after each number",
				    quoted);
			return FALSE;
		}
		for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
			if (strlen(units[i].name) == unit_len &&
			    memcmp(units[i].name, unit_start, unit_len) == 0) {
				unit = units[i].ns;
				break;
			}
		}
		if (unit == 0) {
			g_autofree gchar *name = g_strndup(unit_start, unit_len);
			g_autofree gchar *quoted_unit = rdd_time_quote(name);
			g_autofree gchar *quoted = rdd_time_quote(text);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "unknown unit %s in duration %s: expected one of ns, us, ms, "
				    "s, m, h",
				    quoted_unit, quoted);
			return FALSE;
		}
		if (v > RDD_TIME_NS_MAX / unit)
			return rdd_time_duration_fail(text, RDD_TIME_DURATION_RANGE, error);
		v *= unit;
		if (f > 0) {
			v += (guint64)((gdouble)f * ((gdouble)unit / scale));
			if (v > RDD_TIME_NS_MAX)
				return rdd_time_duration_fail(text, RDD_TIME_DURATION_RANGE, error);
		}
		total += v;
		if (total > RDD_TIME_NS_MAX)
			return rdd_time_duration_fail(text, RDD_TIME_DURATION_RANGE, error);
	}
	if (!neg && total > RDD_TIME_NS_MAX - 1)
		return rdd_time_duration_fail(text, RDD_TIME_DURATION_RANGE, error);
	if (usec != NULL) {
		/* total <= 2^63 ns; convert to microseconds before negating to avoid overflow */
		gint64 us = (gint64)(total / 1000);
		*usec = neg ? -us : us;
	}
	return TRUE;
}

/**
 * rdd_time_format_age:
 * @usec: an age (a duration) in microseconds
 *
 * Formats an age as kubectl prints it (apimachinery's HumanDuration): `Ns` below 2 minutes, `NmSs`
 * below 10 minutes (without `0s`), `Nm` below 3 hours, `NhMm` below 8 hours (without `0m`), `Nh`
 * below 48 hours, `NdHh` below 8 days (without `0h`), `Nd` below 2 years, `NyDd` below 8 years
 * (without `0d`), else `Ny`. Zero and negative ages are `0s`.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_time_format_age(gint64 usec)
{
	gint64 seconds;
	gint64 minutes;
	gint64 hours;

	if (usec <= 0)
		return g_strdup("0s");
	seconds = usec / G_USEC_PER_SEC;
	if (seconds < 60 * 2)
		return g_strdup_printf("%" G_GINT64_FORMAT "s", seconds);
	minutes = seconds / 60;
	if (minutes < 10) {
		gint64 s = seconds % 60;
		if (s == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "m", minutes);
		return g_strdup_printf("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s", minutes, s);
	}
	if (minutes < 60 * 3)
		return g_strdup_printf("%" G_GINT64_FORMAT "m", minutes);
	hours = minutes / 60;
	if (hours < 8) {
		gint64 m = minutes % 60;
		if (m == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "h", hours);
		return g_strdup_printf("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m", hours, m);
	}
	if (hours < 48)
		return g_strdup_printf("%" G_GINT64_FORMAT "h", hours);
	if (hours < 24 * 8) {
		gint64 h = hours % 24;
		if (h == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "d", hours / 24);
		return g_strdup_printf("%" G_GINT64_FORMAT "d%" G_GINT64_FORMAT "h", hours / 24, h);
	}
	if (hours < 24 * 365 * 2)
		return g_strdup_printf("%" G_GINT64_FORMAT "d", hours / 24);
	if (hours < 24 * 365 * 8) {
		gint64 dy = hours / 24 % 365;
		if (dy == 0)
			return g_strdup_printf("%" G_GINT64_FORMAT "y", hours / 24 / 365);
		return g_strdup_printf("%" G_GINT64_FORMAT "y%" G_GINT64_FORMAT "d", hours / 24 / 365, dy);
	}
	return g_strdup_printf("%" G_GINT64_FORMAT "y", hours / 24 / 365);
}
