/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The instance's own PKI for the HTTPS API: a CA and a serving certificate for 127.0.0.1,
 * generated with GnuTLS on first start and renewed when they near expiry, a random bearer
 * token, and the kubeconfig that ties them together for kubectl.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>

#include "rdd-api-tls.h"

#define RDD_API_TLS_CA_DAYS	3650
#define RDD_API_TLS_SERVER_DAYS 365
#define RDD_API_TLS_RENEW_DAYS	30

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

static gboolean
rdd_api_tls_check(gint rc, const gchar *what, GError **error)
{
	if (rc >= 0)
		return TRUE;
	g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot %s: %s", what, gnutls_strerror(rc));
	return FALSE;
}

static gboolean
rdd_api_tls_write_file(const gchar *path, const gchar *data, gsize len, gint mode, GError **error)
{
	if (!g_file_set_contents_full(path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, mode, error)) {
		rdd_error_convert(error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_api_tls_export(gnutls_x509_crt_t crt,
		   gnutls_x509_privkey_t key,
		   const gchar *crt_path,
		   const gchar *key_path,
		   GError **error)
{
	gnutls_datum_t out = {NULL, 0};
	gboolean ok;

	if (!rdd_api_tls_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out), "export a certificate", error))
		return FALSE;
	ok = rdd_api_tls_write_file(crt_path, (const gchar *)out.data, out.size, 0644, error);
	gnutls_free(out.data);
	if (!ok)
		return FALSE;
	/* PKCS#8, which GIO's TLS backend reads */
	out.data = NULL;
	if (!rdd_api_tls_check(gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out),
			       "export a private key",
			       error))
		return FALSE;
	ok = rdd_api_tls_write_file(key_path, (const gchar *)out.data, out.size, 0600, error);
	gnutls_free(out.data);
	return ok;
}

static gboolean
rdd_api_tls_new_cert(gnutls_x509_crt_t *crt_out,
		     gnutls_x509_privkey_t *key_out,
		     const gchar *dn,
		     guint days,
		     GError **error)
{
	g_auto(gnutls_x509_crt_t) crt = NULL;
	g_auto(gnutls_x509_privkey_t) key = NULL;
	guchar serial[16];
	const gchar *err_pos = NULL;
	time_t now = time(NULL);

	if (!rdd_api_tls_check(gnutls_x509_privkey_init(&key), "create a key", error) ||
	    !rdd_api_tls_check(gnutls_x509_privkey_generate(key,
							    GNUTLS_PK_ECDSA,
							    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
							    0),
			       "generate a key",
			       error) ||
	    !rdd_api_tls_check(gnutls_x509_crt_init(&crt), "create a certificate", error))
		return FALSE;
	if (!rdd_api_tls_check(gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial)), "draw a serial number", error))
		return FALSE;
	serial[0] &= 0x7f;
	if (!rdd_api_tls_check(gnutls_x509_crt_set_version(crt, 3), "set the version", error) ||
	    !rdd_api_tls_check(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), "set the serial", error) ||
	    !rdd_api_tls_check(gnutls_x509_crt_set_activation_time(crt, now - 300), "set the start date", error) ||
	    !rdd_api_tls_check(gnutls_x509_crt_set_expiration_time(crt, now + (time_t)days * 86400),
			       "set the expiry date",
			       error) ||
	    !rdd_api_tls_check(gnutls_x509_crt_set_dn(crt, dn, &err_pos), "set the subject", error) ||
	    !rdd_api_tls_check(gnutls_x509_crt_set_key(crt, key), "set the key", error))
		return FALSE;
	{
		guchar id[64];
		gsize id_len = sizeof(id);
		if (!rdd_api_tls_check(gnutls_x509_crt_get_key_id(crt, 0, id, &id_len), "compute the key id", error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_subject_key_id(crt, id, id_len), "set the key id", error))
			return FALSE;
	}
	*crt_out = g_steal_pointer(&crt);
	*key_out = g_steal_pointer(&key);
	return TRUE;
}

static gboolean
rdd_api_tls_load(const gchar *crt_path, const gchar *key_path, gnutls_x509_crt_t *crt_out, gnutls_x509_privkey_t *key_out)
{
	g_autofree gchar *crt_pem = NULL;
	g_autofree gchar *key_pem = NULL;
	gsize crt_len = 0, key_len = 0;
	g_auto(gnutls_x509_crt_t) crt = NULL;
	g_auto(gnutls_x509_privkey_t) key = NULL;
	gnutls_datum_t datum;

	if (!g_file_get_contents(crt_path, &crt_pem, &crt_len, NULL) ||
	    !g_file_get_contents(key_path, &key_pem, &key_len, NULL))
		return FALSE;
	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_privkey_init(&key) < 0)
		return FALSE;
	datum.data = (guchar *)crt_pem;
	datum.size = crt_len;
	if (gnutls_x509_crt_import(crt, &datum, GNUTLS_X509_FMT_PEM) < 0)
		return FALSE;
	datum.data = (guchar *)key_pem;
	datum.size = key_len;
	if (gnutls_x509_privkey_import(key, &datum, GNUTLS_X509_FMT_PEM) < 0)
		return FALSE;
	/* renew what expires soon */
	if (gnutls_x509_crt_get_expiration_time(crt) < time(NULL) + RDD_API_TLS_RENEW_DAYS * 86400)
		return FALSE;
	*crt_out = g_steal_pointer(&crt);
	*key_out = g_steal_pointer(&key);
	return TRUE;
}

/**
 * rdd_api_tls_ensure:
 * @instance: the instance
 * @certificate: (out) (transfer full): the serving certificate with its key
 * @ca_pem: (out) (transfer full): the CA certificate in PEM, for the kubeconfig
 * @error: return location for an error
 *
 * Uses `ca.crt`/`ca.key` and `server.crt`/`server.key` in the instance's TLS directory,
 * creating them when missing or unreadable and renewing them within 30 days of expiry. The
 * serving certificate names `localhost`, `127.0.0.1` and `::1`. Keys are mode 0600.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_api_tls_ensure(RddInstance *instance, GTlsCertificate **certificate, gchar **ca_pem, GError **error)
{
	const gchar *dir = rdd_instance_get_tls_dir(instance);
	g_autofree gchar *ca_crt_path = g_build_filename(dir, "ca.crt", NULL);
	g_autofree gchar *ca_key_path = g_build_filename(dir, "ca.key", NULL);
	g_autofree gchar *crt_path = g_build_filename(dir, "server.crt", NULL);
	g_autofree gchar *key_path = g_build_filename(dir, "server.key", NULL);
	g_auto(gnutls_x509_crt_t) ca = NULL;
	g_auto(gnutls_x509_privkey_t) ca_key = NULL;
	g_auto(gnutls_x509_crt_t) crt = NULL;
	g_auto(gnutls_x509_privkey_t) key = NULL;
	gboolean new_ca = FALSE;
	guint verify = 0;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot create %s: %s", dir, g_strerror(errno));
		return FALSE;
	}
	if (!rdd_api_tls_load(ca_crt_path, ca_key_path, &ca, &ca_key)) {
		g_autofree gchar *dn = g_strdup_printf("CN=rdd-ca %s,O=rdd", rdd_instance_get_name(instance));
		g_clear_pointer(&ca, gnutls_x509_crt_deinit);
		g_clear_pointer(&ca_key, gnutls_x509_privkey_deinit);
		if (!rdd_api_tls_new_cert(&ca, &ca_key, dn, RDD_API_TLS_CA_DAYS, error))
			return FALSE;
		if (!rdd_api_tls_check(gnutls_x509_crt_set_basic_constraints(ca, 1, -1), "mark the CA", error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_key_usage(ca, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
									     GNUTLS_KEY_DIGITAL_SIGNATURE),
				       "set the CA key usage",
				       error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_sign2(ca, ca, ca_key, GNUTLS_DIG_SHA256, 0), "sign the CA", error) ||
		    !rdd_api_tls_export(ca, ca_key, ca_crt_path, ca_key_path, error))
			return FALSE;
		new_ca = TRUE;
		g_info("created the API certificate authority in %s", dir);
	}
	if (new_ca || !rdd_api_tls_load(crt_path, key_path, &crt, &key) ||
	    gnutls_x509_crt_verify(crt, &ca, 1, 0, &verify) < 0 || verify != 0) {
		g_autofree gchar *dn = g_strdup_printf("CN=rdd %s,O=rdd", rdd_instance_get_name(instance));
		const guchar v4[] = {127, 0, 0, 1};
		const guchar v6[16] = {[15] = 1};
		guchar id[64];
		gsize id_len = sizeof(id);
		g_clear_pointer(&crt, gnutls_x509_crt_deinit);
		g_clear_pointer(&key, gnutls_x509_privkey_deinit);
		if (!rdd_api_tls_new_cert(&crt, &key, dn, RDD_API_TLS_SERVER_DAYS, error))
			return FALSE;
		if (!rdd_api_tls_check(gnutls_x509_crt_set_basic_constraints(crt, 0, -1), "mark the certificate", error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
									      GNUTLS_KEY_KEY_ENCIPHERMENT),
				       "set the key usage",
				       error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
				       "set the key purpose",
				       error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND),
				       "name localhost",
				       error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, v4, sizeof(v4), GNUTLS_FSAN_APPEND),
				       "name 127.0.0.1",
				       error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, v6, sizeof(v6), GNUTLS_FSAN_APPEND),
				       "name ::1",
				       error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_get_key_id(ca, 0, id, &id_len), "read the CA key id", error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_set_authority_key_id(crt, id, id_len), "set the authority", error) ||
		    !rdd_api_tls_check(gnutls_x509_crt_sign2(crt, ca, ca_key, GNUTLS_DIG_SHA256, 0), "sign the certificate", error) ||
		    !rdd_api_tls_export(crt, key, crt_path, key_path, error))
			return FALSE;
		g_info("created the API serving certificate in %s", dir);
	}
	*certificate = g_tls_certificate_new_from_files(crt_path, key_path, error);
	if (*certificate == NULL) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot load %s: ", crt_path);
		return FALSE;
	}
	if (!g_file_get_contents(ca_crt_path, ca_pem, NULL, error)) {
		g_clear_object(certificate);
		rdd_error_convert(error);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_api_tls_ensure_token:
 * @instance: the instance
 * @error: return location for an error
 *
 * Returns: (transfer full): the instance's bearer token, 32 random bytes in hex, kept in
 *   `token` (mode 0600) in the TLS directory and created on first use
 */
gchar *
rdd_api_tls_ensure_token(RddInstance *instance, GError **error)
{
	g_autofree gchar *path = g_build_filename(rdd_instance_get_tls_dir(instance), "token", NULL);
	g_autofree gchar *text = NULL;
	guchar raw[32];
	GString *hex;

	if (g_file_get_contents(path, &text, NULL, NULL)) {
		g_strstrip(text);
		if (strlen(text) == 64)
			return g_steal_pointer(&text);
	}
	if (!rdd_api_tls_check(gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof(raw)), "draw a token", error))
		return NULL;
	hex = g_string_sized_new(65);
	for (guint i = 0; i < sizeof(raw); i++)
		g_string_append_printf(hex, "%02x", raw[i]);
	if (!rdd_api_tls_write_file(path, hex->str, hex->len, 0600, error)) {
		g_string_free(hex, TRUE);
		return NULL;
	}
	return g_string_free(hex, FALSE);
}

/**
 * rdd_api_tls_write_kubeconfig:
 * @instance: the instance
 * @server_url: e.g. `https://127.0.0.1:6445`
 * @ca_pem: the CA certificate
 * @token: the bearer token
 * @error: return location for an error
 *
 * Writes the instance kubeconfig (`rdd svc paths config`) with mode 0600: one cluster, user and
 * context named after the instance (`rancher-desktop-<instance>`), selected as current.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_api_tls_write_kubeconfig(RddInstance *instance,
			     const gchar *server_url,
			     const gchar *ca_pem,
			     const gchar *token,
			     GError **error)
{
	const gchar *name = rdd_instance_get_name(instance);
	g_autofree gchar *ca_b64 = g_base64_encode((const guchar *)ca_pem, strlen(ca_pem));
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *yaml = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "apiVersion");
	json_builder_add_string_value(b, "v1");
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, "Config");
	json_builder_set_member_name(b, "clusters");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "cluster");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "server");
	json_builder_add_string_value(b, server_url);
	json_builder_set_member_name(b, "certificate-authority-data");
	json_builder_add_string_value(b, ca_b64);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "users");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "user");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "token");
	json_builder_add_string_value(b, token);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "contexts");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "context");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "cluster");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "user");
	json_builder_add_string_value(b, name);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "current-context");
	json_builder_add_string_value(b, name);
	json_builder_set_member_name(b, "preferences");
	json_builder_begin_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	yaml = rdd_yaml_emit(root);
	return rdd_api_tls_write_file(rdd_instance_get_config_path(instance), yaml, strlen(yaml), 0600, error);
}
