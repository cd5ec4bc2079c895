/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-schema.h"
#include "rdd-yaml.h"

/* a root object schema whose `spec` has the given properties (YAML flow mapping body) */
#define SPEC(props) "{type: object, properties: {spec: {type: object, properties: {" props "}}}}"

/* the App kind of Rancher Desktop, reduced to what the brief describes */
#define APP_SCHEMA                               \
	"type: object\n"                         \
	"properties:\n"                          \
	"  spec:\n"                              \
	"    type: object\n"                     \
	"    required: [running]\n"              \
	"    properties:\n"                      \
	"      running: {type: boolean}\n"       \
	"      containerEngine:\n"               \
	"        type: object\n"                 \
	"        default: {name: moby}\n"        \
	"        properties:\n"                  \
	"          name:\n"                      \
	"            type: string\n"             \
	"            enum: [moby, containerd]\n" \
	"            default: moby\n"

#define X10 "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10

#define TYPES "FieldValueTypeInvalid "
#define REQUIRED "FieldValueRequired "
#define INVALID "FieldValueInvalid "
#define NOTSUPPORTED "FieldValueNotSupported "
#define DUPLICATE "FieldValueDuplicate "

typedef struct {
	const gchar *name;
	const gchar *schema; /* YAML */
	const gchar *input;  /* YAML or JSON; NULL when the schema must not compile */
	/* when the schema must not compile: the start of the error message */
	const gchar *compile_error;
	/* the causes after defaulting and pruning, one `<type> <field>: <message>` per line;
	 * NULL when the input is valid */
	const gchar *errors;
	/* canonical JSON after defaulting and pruning; NULL to skip the check */
	const gchar *output;
	/* the pruned field paths, comma separated; NULL when none */
	const gchar *unknown;
} RddSchemaCase;

static const RddSchemaCase rdd_schema_cases[] = {
	/* the App kind */
	{"app/defaults", APP_SCHEMA,
	 "{apiVersion: app.rancherdesktop.io/v1alpha1, kind: App, metadata: {name: app}, spec: "
	 "{running: true}}",
	 NULL, NULL,
	 "{\"apiVersion\":\"app.rancherdesktop.io/v1alpha1\",\"kind\":\"App\",\"metadata\":{"
	 "\"name\":\"app\"},\"spec\":{\"containerEngine\":{\"name\":\"moby\"},\"running\":true}}",
	 NULL},
	{"app/required-and-enum", APP_SCHEMA, "{spec: {containerEngine: {name: x}}}", NULL,
	 NOTSUPPORTED "spec.containerEngine.name: Unsupported value: \"x\": supported values: "
		      "\"moby\", \"containerd\"\n" REQUIRED "spec.running: Required value",
	 "{\"spec\":{\"containerEngine\":{\"name\":\"x\"}}}", NULL},
	{"app/empty-engine-gets-nested-default", APP_SCHEMA, "{spec: {running: false, containerEngine: {}}}",
	 NULL, NULL, "{\"spec\":{\"containerEngine\":{\"name\":\"moby\"},\"running\":false}}", NULL},
	{"app/null-engine-gets-default", APP_SCHEMA, "{\"spec\": {\"running\": true, \"containerEngine\": null}}",
	 NULL, NULL, "{\"spec\":{\"containerEngine\":{\"name\":\"moby\"},\"running\":true}}", NULL},
	{"app/explicit-engine-kept", APP_SCHEMA, "{spec: {running: true, containerEngine: {name: containerd}}}",
	 NULL, NULL, "{\"spec\":{\"containerEngine\":{\"name\":\"containerd\"},\"running\":true}}", NULL},
	{"app/unknown-fields-pruned", APP_SCHEMA,
	 "{spec: {running: true, foo: 1, containerEngine: {name: moby, bar: {x: 1}}}, extra: 2}",
	 NULL, NULL, "{\"spec\":{\"containerEngine\":{\"name\":\"moby\"},\"running\":true}}",
	 "extra,spec.containerEngine.bar,spec.foo"},
	{"app/wrong-type", APP_SCHEMA, "{spec: {running: 'yes'}}", NULL,
	 TYPES "spec.running: Invalid value: \"string\": spec.running in body must be of type "
	       "boolean: \"string\"",
	 NULL, NULL},
	{"app/no-spec-is-valid", APP_SCHEMA, "{kind: App}", NULL, NULL, "{\"kind\":\"App\"}", NULL},
	{"app/spec-wrong-type", APP_SCHEMA, "{spec: [1]}", NULL,
	 TYPES "spec: Invalid value: \"array\": spec in body must be of type object: \"array\"",
	 "{\"spec\":[1]}", NULL},

	/* root members */
	{"root/resource-members-untouched",
	 "{type: object, required: [metadata, kind], properties: {metadata: {type: string}, kind: "
	 "{type: integer, default: 1}, apiVersion: {type: boolean}, spec: {type: object}}}",
	 "{apiVersion: v1, metadata: {name: x, labels: {a: b}, unknownThing: 1}, spec: {}}", NULL, NULL,
	 "{\"apiVersion\":\"v1\",\"metadata\":{\"labels\":{\"a\":\"b\"},\"name\":\"x\","
	 "\"unknownThing\":1},\"spec\":{}}",
	 NULL},
	{"root/other-members-pruned", "{type: object, properties: {spec: {type: object}}}",
	 "{kind: K, apiVersion: v1, metadata: {}, spec: {a: 1}, status: {}}", NULL, NULL,
	 "{\"apiVersion\":\"v1\",\"kind\":\"K\",\"metadata\":{},\"spec\":{}}", "spec.a,status"},
	{"root/nested-metadata-is-ordinary", SPEC("metadata: {type: object, properties: {name: {type: string}}}"),
	 "{spec: {metadata: {name: 1, other: 2}}}", NULL,
	 TYPES "spec.metadata.name: Invalid value: \"integer\": spec.metadata.name in body must be "
	       "of type string: \"integer\"",
	 "{\"spec\":{\"metadata\":{\"name\":1}}}", "spec.metadata.other"},
	{"root/non-object-value", "{type: object}", "[1, 2]", NULL,
	 TYPES ": Invalid value: \"array\": body must be of type object: \"array\"", NULL, NULL},

	/* types */
	{"type/string-ok", SPEC("x: {type: string}"), "{spec: {x: abc}}", NULL, NULL, NULL, NULL},
	{"type/string-given-integer", SPEC("x: {type: string}"), "{spec: {x: 12}}", NULL,
	 TYPES "spec.x: Invalid value: \"integer\": spec.x in body must be of type string: "
	       "\"integer\"",
	 NULL, NULL},
	{"type/integer-given-number", SPEC("x: {type: integer}"), "{spec: {x: 1.5}}", NULL,
	 TYPES "spec.x: Invalid value: \"number\": spec.x in body must be of type integer: "
	       "\"number\"",
	 NULL, NULL},
	{"type/integer-given-integral-double", SPEC("x: {type: integer, minimum: 2}"),
	 "{\"spec\": {\"x\": 2.0}}", NULL, NULL, NULL, NULL},
	{"type/number-given-integer", SPEC("x: {type: number, maximum: 2.5}"), "{spec: {x: 2}}",
	 NULL, NULL, NULL, NULL},
	{"type/number-given-string", SPEC("x: {type: number}"), "{spec: {x: '2'}}", NULL,
	 TYPES "spec.x: Invalid value: \"string\": spec.x in body must be of type number: "
	       "\"string\"",
	 NULL, NULL},
	{"type/boolean-given-quoted", SPEC("x: {type: boolean}"), "{spec: {x: 'true'}}", NULL,
	 TYPES "spec.x: Invalid value: \"string\": spec.x in body must be of type boolean: "
	       "\"string\"",
	 NULL, NULL},
	{"type/object-given-array", SPEC("x: {type: object}"), "{spec: {x: []}}", NULL,
	 TYPES "spec.x: Invalid value: \"array\": spec.x in body must be of type object: "
	       "\"array\"",
	 NULL, NULL},
	{"type/array-given-object", SPEC("x: {type: array, items: {type: string}}"), "{spec: {x: {}}}", NULL,
	 TYPES "spec.x: Invalid value: \"object\": spec.x in body must be of type array: "
	       "\"object\"",
	 NULL, NULL},

	/* nullable */
	{"nullable/null-rejected", SPEC("x: {type: string}"), "{spec: {x: null}}", NULL,
	 TYPES "spec.x: Invalid value: \"null\": spec.x in body must be of type string: \"null\"",
	 "{\"spec\":{\"x\":null}}", NULL},
	{"nullable/null-allowed", SPEC("x: {type: string, nullable: true, enum: [a]}"),
	 "{spec: {x: null}}", NULL, NULL, "{\"spec\":{\"x\":null}}", NULL},
	{"nullable/null-replaced-by-default", SPEC("x: {type: integer, default: 7}"),
	 "{spec: {x: null}}", NULL, NULL, "{\"spec\":{\"x\":7}}", NULL},
	{"nullable/nullable-null-keeps-null", SPEC("x: {type: integer, nullable: true, default: 7}"),
	 "{spec: {x: null}}", NULL, NULL, "{\"spec\":{\"x\":null}}", NULL},
	{"nullable/object-members-null", SPEC("o: {type: object, nullable: true, properties: {a: {type: string}}}"),
	 "{spec: {o: null}}", NULL, NULL, NULL, NULL},

	/* int-or-string */
	{"int-or-string/integer", SPEC("port: {x-kubernetes-int-or-string: true}"),
	 "{spec: {port: 8080}}", NULL, NULL, NULL, NULL},
	{"int-or-string/string", SPEC("port: {x-kubernetes-int-or-string: true, pattern: '^[a-z]+$'}"),
	 "{spec: {port: http}}", NULL, NULL, NULL, NULL},
	{"int-or-string/boolean", SPEC("port: {x-kubernetes-int-or-string: true}"), "{spec: {port: true}}", NULL,
	 TYPES "spec.port: Invalid value: \"boolean\": spec.port in body must be of type "
	       "integer,string: \"boolean\"",
	 NULL, NULL},
	{"int-or-string/number", SPEC("port: {x-kubernetes-int-or-string: true}"), "{spec: {port: 1.5}}", NULL,
	 TYPES "spec.port: Invalid value: \"number\": spec.port in body must be of type "
	       "integer,string: \"number\"",
	 NULL, NULL},

	/* enum */
	{"enum/strings", SPEC("e: {type: string, enum: [moby, containerd]}"), "{spec: {e: docker}}", NULL,
	 NOTSUPPORTED "spec.e: Unsupported value: \"docker\": supported values: \"moby\", "
		      "\"containerd\"",
	 NULL, NULL},
	{"enum/integers", SPEC("e: {type: integer, enum: [1, 2]}"), "{spec: {e: 3}}", NULL,
	 NOTSUPPORTED "spec.e: Unsupported value: 3: supported values: 1, 2", NULL, NULL},
	{"enum/integer-matches-double", SPEC("e: {type: number, enum: [1, 2.5]}"),
	 "{\"spec\": {\"e\": 1.0}}", NULL, NULL, NULL, NULL},
	{"enum/objects", SPEC("e: {type: object, x-kubernetes-preserve-unknown-fields: true, enum: [{a: 1}]}"),
	 "{spec: {e: {a: 2}}}", NULL,
	 NOTSUPPORTED "spec.e: Unsupported value: {\"a\":2}: supported values: {\"a\":1}", NULL, NULL},
	{"enum/long-value-truncated", SPEC("e: {type: string, enum: [a]}"), "{spec: {e: " X100 X100 "}}", NULL,
	 /* 128 characters of the JSON string: the quote and 127 x */
	 NOTSUPPORTED "spec.e: Unsupported value: \"" X100 X10 X10 "xxxxxxx...: supported values: "
		      "\"a\"",
	 NULL, NULL},

	/* strings */
	{"pattern/mismatch", SPEC("x: {type: string, pattern: '^[a-z]+$'}"), "{spec: {x: ABC}}", NULL,
	 INVALID "spec.x: Invalid value: \"ABC\": spec.x in body should match '^[a-z]+$'", NULL, NULL},
	{"pattern/unanchored-match", SPEC("x: {type: string, pattern: 'b+'}"), "{spec: {x: abbbc}}",
	 NULL, NULL, NULL, NULL},
	{"format/date-time-ok", SPEC("t: {type: array, items: {type: string, format: date-time}}"),
	 "{spec: {t: ['2026-11-25T12:30:00Z', '2024-02-29T23:59:59.123456+01:00', "
	 "'2026-01-01t00:00:00z']}}",
	 NULL, NULL, NULL, NULL},
	{"format/date-time-bad", SPEC("t: {type: array, items: {type: string, format: date-time}}"),
	 "{spec: {t: [yesterday, '2026-02-30T00:00:00Z', '2026-11-25 12:30:00Z', "
	 "'2026-11-25T24:00:00Z', '2026-11-25T12:30:00']}}",
	 NULL,
	 INVALID "spec.t[0]: Invalid value: \"yesterday\": spec.t[0] in body must be of type "
		 "date-time: \"yesterday\"\n" INVALID "spec.t[1]: Invalid value: \"2026-02-30T00:00:00Z\": spec.t[1] in body must be of "
		 "type date-time: \"2026-02-30T00:00:00Z\"\n" INVALID "spec.t[2]: Invalid value: \"2026-11-25 12:30:00Z\": spec.t[2] in body must be of "
		 "type date-time: \"2026-11-25 12:30:00Z\"\n" INVALID "spec.t[3]: Invalid value: \"2026-11-25T24:00:00Z\": spec.t[3] in body must be of "
		 "type date-time: \"2026-11-25T24:00:00Z\"\n" INVALID "spec.t[4]: Invalid value: \"2026-11-25T12:30:00\": spec.t[4] in body must be of "
		 "type date-time: \"2026-11-25T12:30:00\"",
	 NULL, NULL},
	{"format/byte-ok", SPEC("b: {type: object, additionalProperties: {type: string, format: byte}}"),
	 "{spec: {b: {a: aGVsbG8=, b: '', c: aGk=, d: YWJj}}}", NULL, NULL, NULL, NULL},
	{"format/byte-bad", SPEC("b: {type: string, format: byte}"), "{spec: {b: '!!'}}", NULL,
	 INVALID "spec.b: Invalid value: \"!!\": spec.b in body must be of type byte: \"!!\"", NULL, NULL},
	{"format/byte-bad-padding", SPEC("b: {type: array, items: {type: string, format: byte}}"),
	 "{spec: {b: [abc, 'a===', '=abc']}}", NULL,
	 INVALID "spec.b[0]: Invalid value: \"abc\": spec.b[0] in body must be of type byte: "
		 "\"abc\"\n" INVALID "spec.b[1]: Invalid value: \"a===\": spec.b[1] in body must be "
		 "of type byte: \"a===\"\n" INVALID "spec.b[2]: Invalid value: \"=abc\": spec.b[2] in body must be of type byte: "
		 "\"=abc\"",
	 NULL, NULL},
	{"format/other-formats-ignored", SPEC("n: {type: integer, format: int32}, s: {type: string, format: hostname}"),
	 "{spec: {n: 99999999999, s: 'not a hostname!'}}", NULL, NULL, NULL, NULL},
	{"length/unicode-characters", SPEC("s: {type: string, maxLength: 5, minLength: 5}"),
	 "{spec: {s: ééééé}}", NULL, NULL, NULL, NULL},
	{"length/too-long", SPEC("s: {type: string, maxLength: 5}"), "{spec: {s: abcdef}}", NULL,
	 "FieldValueTooLong spec.s: Too long: may not be longer than 5", NULL, NULL},
	{"length/too-short", SPEC("s: {type: string, minLength: 1}"), "{spec: {s: ''}}", NULL,
	 INVALID "spec.s: Invalid value: \"\": spec.s in body should be at least 1 chars long", NULL, NULL},

	/* numbers */
	{"number/minimum", SPEC("n: {type: integer, minimum: 1}"), "{spec: {n: 0}}", NULL,
	 INVALID "spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1", NULL, NULL},
	{"number/exclusive-minimum", SPEC("n: {type: integer, minimum: 1, exclusiveMinimum: true}"), "{spec: {n: 1}}",
	 NULL, INVALID "spec.n: Invalid value: 1: spec.n in body should be greater than 1", NULL, NULL},
	{"number/maximum", SPEC("n: {type: number, maximum: 10}"), "{spec: {n: 10.5}}", NULL,
	 INVALID "spec.n: Invalid value: 10.5: spec.n in body should be less than or equal to 10", NULL, NULL},
	{"number/exclusive-maximum", SPEC("n: {type: number, maximum: 2.5, exclusiveMaximum: true}"), "{spec: {n: 2.5}}",
	 NULL, INVALID "spec.n: Invalid value: 2.5: spec.n in body should be less than 2.5", NULL, NULL},
	{"number/bounds-inclusive-edges",
	 SPEC("n: {type: integer, minimum: 1, maximum: 10}, m: {type: integer, minimum: -5}"),
	 "{spec: {n: 10, m: -5}}", NULL, NULL, NULL, NULL},
	{"number/multiple-of", SPEC("n: {type: array, items: {type: number, multipleOf: 0.5}}"),
	 "{spec: {n: [1, 1.5, 0.7]}}", NULL,
	 INVALID "spec.n[2]: Invalid value: 0.7: spec.n[2] in body should be a multiple of 0.5", NULL, NULL},

	/* arrays */
	{"array/max-items", SPEC("a: {type: array, maxItems: 2, items: {type: integer}}"), "{spec: {a: [1, 2, 3]}}",
	 NULL, "FieldValueTooMany spec.a: Too many: 3: must have at most 2 items", NULL, NULL},
	{"array/min-items", SPEC("a: {type: array, minItems: 1, items: {type: integer}}"), "{spec: {a: []}}",
	 NULL, INVALID "spec.a: Invalid value: 0: spec.a in body should have at least 1 items", NULL, NULL},
	{"array/set-duplicates", SPEC("a: {type: array, x-kubernetes-list-type: set, items: {type: string}}"),
	 "{spec: {a: [x, y, x, x]}}", NULL,
	 DUPLICATE "spec.a[2]: Duplicate value: \"x\"\n" DUPLICATE "spec.a[3]: Duplicate value: \"x\"",
	 NULL, NULL},
	{"array/map-duplicates",
	 SPEC("ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: "
	      "[name, protocol], items: {type: object, properties: {name: {type: string}, protocol: "
	      "{type: string, default: TCP}, port: {type: integer}}}}"),
	 "{spec: {ports: [{name: a, port: 1}, {name: a, protocol: UDP, port: 2}, {name: a, port: "
	 "3}]}}",
	 NULL, DUPLICATE "spec.ports[2]: Duplicate value: {\"name\":\"a\",\"protocol\":\"TCP\"}",
	 "{\"spec\":{\"ports\":[{\"name\":\"a\",\"port\":1,\"protocol\":\"TCP\"},{\"name\":\"a\","
	 "\"port\":2,\"protocol\":\"UDP\"},{\"name\":\"a\",\"port\":3,\"protocol\":\"TCP\"}]}}",
	 NULL},
	{"array/atomic-allows-duplicates",
	 SPEC("a: {type: array, x-kubernetes-list-type: atomic, items: {type: integer}}"),
	 "{spec: {a: [1, 1]}}", NULL, NULL, NULL, NULL},
	{"array/item-paths",
	 SPEC("ports: {type: array, items: {type: object, required: [name], properties: {name: "
	      "{type: string}, port: {type: integer, maximum: 65535}}}}"),
	 "{spec: {ports: [{name: a, port: 1}, {port: 2, bar: 1}, {name: 3, port: 70000}]}}", NULL,
	 REQUIRED "spec.ports[1].name: Required value\n" TYPES "spec.ports[2].name: Invalid value: \"integer\": spec.ports[2].name in body must "
		  "be of type string: \"integer\"\n" INVALID "spec.ports[2].port: Invalid value: 70000: spec.ports[2].port in body should be "
		  "less than or equal to 65535",
	 "{\"spec\":{\"ports\":[{\"name\":\"a\",\"port\":1},{\"port\":2},{\"name\":3,\"port\":"
	 "70000}]}}",
	 "spec.ports[1].bar"},
	{"array/item-defaults",
	 SPEC("ports: {type: array, items: {type: object, properties: {protocol: {type: string, "
	      "default: TCP}}}}"),
	 "{\"spec\": {\"ports\": [{}, {\"protocol\": \"UDP\"}, null]}}", NULL,
	 TYPES "spec.ports[2]: Invalid value: \"null\": spec.ports[2] in body must be of type "
	       "object: \"null\"",
	 "{\"spec\":{\"ports\":[{\"protocol\":\"TCP\"},{\"protocol\":\"UDP\"},null]}}", NULL},
	{"array/null-item-defaulted", SPEC("a: {type: array, items: {type: string, default: none}}"),
	 "{\"spec\": {\"a\": [\"x\", null]}}", NULL, NULL, "{\"spec\":{\"a\":[\"x\",\"none\"]}}", NULL},

	/* maps */
	{"map/value-paths", SPEC("data: {type: object, additionalProperties: {type: string, maxLength: 3}}"),
	 "{spec: {data: {some.key: 1, ok: abc, z: abcd}}}", NULL,
	 TYPES "spec.data[some.key]: Invalid value: \"integer\": spec.data[some.key] in body must "
	       "be of type string: \"integer\"\n"
	       "FieldValueTooLong spec.data[z]: Too long: may not be longer than 3",
	 NULL, NULL},
	{"map/object-values-pruned",
	 SPEC("data: {type: object, additionalProperties: {type: object, properties: {a: {type: "
	      "integer}}}}"),
	 "{spec: {data: {k1: {a: 1, extra: 2}, k2: {}}}}", NULL, NULL,
	 "{\"spec\":{\"data\":{\"k1\":{\"a\":1},\"k2\":{}}}}", "spec.data[k1].extra"},
	{"map/value-defaults",
	 SPEC("data: {type: object, additionalProperties: {type: object, properties: {on: {type: "
	      "boolean, default: true}}}}"),
	 "{spec: {data: {a: {}, b: {on: false}}}}", NULL, NULL,
	 "{\"spec\":{\"data\":{\"a\":{\"on\":true},\"b\":{\"on\":false}}}}", NULL},
	{"map/additional-properties-true", SPEC("free: {type: object, additionalProperties: true}"),
	 "{spec: {free: {a: 1, b: {c: [1]}}}}", NULL, NULL,
	 "{\"spec\":{\"free\":{\"a\":1,\"b\":{\"c\":[1]}}}}", NULL},
	{"map/min-max-properties",
	 SPEC("a: {type: object, additionalProperties: {type: integer}, maxProperties: 1}, b: "
	      "{type: object, additionalProperties: {type: integer}, minProperties: 1}"),
	 "{spec: {a: {x: 1, y: 2}, b: {}}}", NULL,
	 "FieldValueTooMany spec.a: Too many: 2: must have at most 1 items\n" INVALID
	 "spec.b: Invalid value: 0: spec.b in body should have at least 1 properties",
	 NULL, NULL},

	/* unknown fields */
	{"preserve/unknown-kept-declared-checked",
	 SPEC("p: {type: object, x-kubernetes-preserve-unknown-fields: true, required: [must], "
	      "properties: {n: {type: integer, default: 3}, o: {type: object, properties: {a: {type: "
	      "string}}}}}"),
	 "{spec: {p: {anything: {goes: [1]}, o: {a: x, b: y}}}}", NULL, REQUIRED "spec.p.must: Required value",
	 "{\"spec\":{\"p\":{\"anything\":{\"goes\":[1]},\"n\":3,\"o\":{\"a\":\"x\"}}}}", "spec.p.o.b"},
	{"preserve/untyped", SPEC("raw: {x-kubernetes-preserve-unknown-fields: true}"),
	 "{spec: {raw: [1, {a: null}, x]}}", NULL, NULL, "{\"spec\":{\"raw\":[1,{\"a\":null},\"x\"]}}", NULL},
	{"embedded/resource-members-kept",
	 SPEC("template: {type: object, x-kubernetes-embedded-resource: true, properties: {spec: "
	      "{type: object, properties: {image: {type: string}}}}}"),
	 "{spec: {template: {apiVersion: v1, kind: Pod, metadata: {name: p, labels: {a: b}}, spec: "
	 "{image: busybox, tty: true}, junk: 1}}}",
	 NULL, NULL,
	 "{\"spec\":{\"template\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
	 "\"labels\":{\"a\":\"b\"},\"name\":\"p\"},\"spec\":{\"image\":\"busybox\"}}}}",
	 "spec.template.junk,spec.template.spec.tty"},
	{"embedded/declared-metadata-preserved",
	 SPEC("res: {type: object, x-kubernetes-embedded-resource: true, properties: {metadata: "
	      "{type: object, properties: {name: {type: string}}}}}"),
	 "{spec: {res: {apiVersion: v1, kind: Pod, metadata: {name: p, uid: u, labels: {a: b}}, "
	 "x: 1}}}",
	 NULL, NULL,
	 "{\"spec\":{\"res\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
	 "\"labels\":{\"a\":\"b\"},\"name\":\"p\",\"uid\":\"u\"}}}}",
	 "spec.res.x"},
	{"prune/traversal-order",
	 "{type: object, properties: {spec: {type: object, properties: {b: {type: object, "
	 "properties: {x: {type: integer}}}, a: {type: array, items: {type: object}}}}}}",
	 "{zz: 1, spec: {c: 1, b: {y: 1, x: 1, w: 2}, a: [{q: 1}, {}, {r: 1}]}, aa: 2}", NULL, NULL,
	 "{\"spec\":{\"a\":[{},{},{}],\"b\":{\"x\":1}}}", "aa,spec.a[0].q,spec.a[2].r,spec.b.w,spec.b.y,spec.c,zz"},

	/* nesting and several errors */
	{"nested/deep-path",
	 SPEC("a: {type: object, properties: {b: {type: object, properties: {c: {type: array, items: "
	      "{type: object, properties: {d: {type: string, enum: [x]}}}}}}}}"),
	 "{spec: {a: {b: {c: [{d: x}, {d: y}]}}}}", NULL,
	 NOTSUPPORTED "spec.a.b.c[1].d: Unsupported value: \"y\": supported values: \"x\"", NULL, NULL},
	{"nested/nested-defaults-in-default",
	 SPEC("o: {type: object, default: {}, properties: {i: {type: object, default: {}, "
	      "properties: {v: {type: integer, default: 5}}}}}"),
	 "{spec: {}}", NULL, NULL, "{\"spec\":{\"o\":{\"i\":{\"v\":5}}}}", NULL},
	{"nested/multiple-errors",
	 "type: object\n"
	 "properties:\n"
	 "  spec:\n"
	 "    type: object\n"
	 "    required: [name, size]\n"
	 "    properties:\n"
	 "      name: {type: string, pattern: '^[a-z]+$', maxLength: 3}\n"
	 "      size: {type: integer}\n"
	 "      mode: {type: string, enum: [fast, slow]}\n"
	 "      tags: {type: array, maxItems: 1, items: {type: string}}\n"
	 "      limits:\n"
	 "        type: object\n"
	 "        properties:\n"
	 "          cpu: {type: number, minimum: 0.5}\n",
	 "{spec: {name: ABCD, mode: medium, tags: [a, 1], limits: {cpu: 0}}}", NULL,
	 /* sorted by property, a missing required one in its place */
	 INVALID "spec.limits.cpu: Invalid value: 0: spec.limits.cpu in body should be greater than "
		 "or equal to 0.5\n" NOTSUPPORTED "spec.mode: Unsupported value: \"medium\": supported values: \"fast\", \"slow\"\n"
		 "FieldValueTooLong spec.name: Too long: may not be longer than 3\n" INVALID
		 "spec.name: Invalid value: \"ABCD\": spec.name in body should match '^[a-z]+$'\n" REQUIRED "spec.size: Required value\n"
		 "FieldValueTooMany spec.tags: Too many: 2: must have at most 1 items\n" TYPES
		 "spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type "
		 "string: \"integer\"",
	 NULL, NULL},
	{"nested/required-sorted-in-place",
	 SPEC("o: {type: object, required: [z, a, m], properties: {a: {type: string}, m: {type: "
	      "string}, z: {type: string}}}"),
	 "{spec: {o: {m: 1}}}", NULL,
	 REQUIRED "spec.o.a: Required value\n" TYPES "spec.o.m: Invalid value: \"integer\": spec.o.m in body must be of type string: "
		  "\"integer\"\n" REQUIRED "spec.o.z: Required value",
	 NULL, NULL},

	/* schemas that do not compile */
	{"compile/bad-type", SPEC("x: {type: strng}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.x.type: Unsupported value: \"strng\": "
	 "supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", "
	 "\"string\"",
	 NULL, NULL, NULL},
	{"compile/bad-pattern", SPEC("x: {type: string, pattern: '[a-'}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.x.pattern: Invalid value: \"[a-\": must be a "
	 "valid regular expression: ",
	 NULL, NULL, NULL},
	{"compile/required-not-array", "{type: object, required: spec, properties: {spec: {type: object}}}", NULL,
	 "openAPIV3Schema.required: Invalid value: \"spec\": must be an array of strings", NULL, NULL, NULL},
	{"compile/default-wrong-type", SPEC("x: {type: boolean, default: 'no'}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.x.default: Invalid value: \"string\": "
	 "openAPIV3Schema.properties.spec.properties.x.default in body must be of type boolean: "
	 "\"string\"",
	 NULL, NULL, NULL},
	{"compile/default-not-in-enum", APP_SCHEMA "          x: {type: string, enum: [a], default: b}\n", NULL,
	 "openAPIV3Schema.properties.spec.properties.containerEngine.properties.x.default: "
	 "Unsupported value: \"b\": supported values: \"a\"",
	 NULL, NULL, NULL},
	{"compile/default-nested-required",
	 SPEC("o: {type: object, default: {}, required: [a], properties: {a: {type: string}}}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.o.default.a: Required value", NULL, NULL, NULL},
	{"compile/default-unknown-field",
	 SPEC("o: {type: object, default: {b: 1}, properties: {a: {type: string}}}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.o.default: Invalid value: unknown field "
	 "\"openAPIV3Schema.properties.spec.properties.o.default.b\"",
	 NULL, NULL, NULL},
	{"compile/array-without-items", SPEC("a: {type: array}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.items: Required value: must be specified "
	 "for arrays",
	 NULL, NULL, NULL},
	{"compile/items-tuple", SPEC("a: {type: array, items: [{type: string}]}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.items: Forbidden: items must be a schema "
	 "object and not an array",
	 NULL, NULL, NULL},
	{"compile/unsupported-keyword", SPEC("a: {type: string, anyOf: [{pattern: x}]}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.anyOf: Forbidden: unsupported schema keyword",
	 NULL, NULL, NULL},
	{"compile/missing-type", SPEC("a: {properties: {b: {type: string}}}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.type: Required value: must not be empty for "
	 "specified object fields",
	 NULL, NULL, NULL},
	{"compile/list-map-without-keys",
	 SPEC("a: {type: array, x-kubernetes-list-type: map, items: {type: object}}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.x-kubernetes-list-map-keys: Required value",
	 NULL, NULL, NULL},
	{"compile/list-map-key-not-a-property",
	 SPEC("a: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [id], "
	      "items: {type: object, properties: {name: {type: string}}}}"),
	 NULL,
	 "openAPIV3Schema.properties.spec.properties.a.x-kubernetes-list-map-keys: Invalid value: "
	 "\"id\": must be a property of items",
	 NULL, NULL, NULL},
	{"compile/bad-list-type",
	 SPEC("a: {type: array, x-kubernetes-list-type: bag, items: {type: string}}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.x-kubernetes-list-type: Unsupported value: "
	 "\"bag\"",
	 NULL, NULL, NULL},
	{"compile/enum-wrong-type", SPEC("a: {type: integer, enum: [1, two]}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.enum[1]: Invalid value: \"two\": must be of "
	 "type integer",
	 NULL, NULL, NULL},
	{"compile/negative-length", SPEC("a: {type: string, minLength: -1}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.minLength: Invalid value: -1: must be a "
	 "non-negative integer",
	 NULL, NULL, NULL},
	{"compile/int-or-string-with-type", SPEC("a: {type: string, x-kubernetes-int-or-string: true}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.type: Invalid value: \"string\": must be "
	 "empty if x-kubernetes-int-or-string is true",
	 NULL, NULL, NULL},
	{"compile/schema-not-object", SPEC("a: 5"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a: Invalid value: 5: must be a schema object",
	 NULL, NULL, NULL},
	{"compile/properties-on-string", SPEC("a: {type: string, properties: {b: {type: string}}}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.properties: Forbidden: must be empty if type "
	 "is not object",
	 NULL, NULL, NULL},
	{"compile/nullable-not-boolean", SPEC("a: {type: string, nullable: 'yes'}"), NULL,
	 "openAPIV3Schema.properties.spec.properties.a.nullable: Invalid value: \"yes\": must be a "
	 "boolean",
	 NULL, NULL, NULL},
	{"compile/ignored-keywords",
	 SPEC("a: {type: string, title: A, example: x, externalDocs: {url: 'http://x'}, "
	      "description: the a, x-kubernetes-validations: [{rule: self.size() > 1}]}"),
	 "{spec: {a: b}}", NULL, NULL, "{\"spec\":{\"a\":\"b\"}}", NULL},
};

static gchar *
rdd_schema_test_causes_to_string(GPtrArray *causes)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < causes->len; i++) {
		RddCause *cause = g_ptr_array_index(causes, i);
		if (i > 0)
			g_string_append_c(str, '\n');
		g_string_append_printf(str, "%s %s: %s", cause->type, cause->field, cause->message);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gchar *
rdd_schema_test_strv_join(GPtrArray *strs)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < strs->len; i++) {
		if (i > 0)
			g_string_append_c(str, ',');
		g_string_append(str, g_ptr_array_index(strs, i));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
rdd_schema_case_func(gconstpointer user_data)
{
	const RddSchemaCase *tc = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) schema_node = rdd_yaml_parse(tc->schema, -1, &error);
	g_autoptr(RddSchema) schema = NULL;
	g_autoptr(JsonNode) value = NULL;
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *causes_str = NULL;
	g_autofree gchar *unknown_str = NULL;
	gboolean valid;

	g_assert_no_error(error);
	schema = rdd_schema_new(schema_node, &error);
	if (tc->compile_error != NULL) {
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(schema);
		if (!g_str_has_prefix(error->message, tc->compile_error))
			g_assert_cmpstr(error->message, ==, tc->compile_error);
		return;
	}
	g_assert_no_error(error);
	g_assert_nonnull(schema);

	value = rdd_yaml_parse(tc->input, -1, &error);
	g_assert_no_error(error);
	rdd_schema_apply_defaults(schema, value);
	rdd_schema_prune(schema, value, unknown);
	valid = rdd_schema_validate(schema, value, causes);

	causes_str = rdd_schema_test_causes_to_string(causes);
	if (tc->errors == NULL) {
		g_assert_cmpstr(causes_str, ==, "");
		g_assert_true(valid);
	} else {
		g_assert_cmpstr(causes_str, ==, tc->errors);
		g_assert_false(valid);
		/* the same answer without collecting causes */
		g_assert_false(rdd_schema_validate(schema, value, NULL));
	}
	unknown_str = rdd_schema_test_strv_join(unknown);
	g_assert_cmpstr(unknown_str, ==, tc->unknown != NULL ? tc->unknown : "");
	if (tc->output != NULL) {
		g_autofree gchar *json = rdd_json_to_string(value, FALSE);
		g_assert_cmpstr(json, ==, tc->output);
	}

	/* defaulting and pruning are idempotent */
	{
		g_autoptr(JsonNode) again = rdd_json_deep_copy(value);
		g_autoptr(GPtrArray) unknown2 = g_ptr_array_new_with_free_func(g_free);
		rdd_schema_apply_defaults(schema, again);
		rdd_schema_prune(schema, again, unknown2);
		g_assert_cmpuint(unknown2->len, ==, 0);
		g_assert_true(rdd_json_equal(value, again));
	}
}

static RddSchema *
rdd_schema_test_compile(const gchar *yaml)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_yaml_parse(yaml, -1, &error);
	RddSchema *schema;

	g_assert_no_error(error);
	schema = rdd_schema_new(node, &error);
	g_assert_no_error(error);
	g_assert_nonnull(schema);
	return schema;
}

static void
rdd_schema_accessors_func(void)
{
	g_autoptr(RddSchema) schema = rdd_schema_test_compile(
		APP_SCHEMA "      ports:\n"
			   "        type: array\n"
			   "        description: exposed ports\n"
			   "        items: {type: object, properties: {port: {type: integer, format: "
			   "int32}}}\n"
			   "      env: {type: object, additionalProperties: {type: string}}\n"
			   "      raw: {x-kubernetes-preserve-unknown-fields: true, nullable: true}\n"
			   "      port: {x-kubernetes-int-or-string: true}\n"
			   "      ratio: {type: number}\n");
	RddSchema *spec;
	RddSchema *name;
	RddSchema *engine;
	g_autoptr(GPtrArray) names = NULL;
	g_autoptr(GPtrArray) root_names = NULL;
	g_autofree gchar *default_json = NULL;
	g_autofree gchar *node_json = NULL;
	JsonArray *values;

	g_assert_cmpint(rdd_schema_get_value_type(schema), ==, RDD_SCHEMA_TYPE_OBJECT);
	g_assert_cmpstr(rdd_schema_get_value_type_name(schema), ==, "object");
	root_names = rdd_schema_get_property_names(schema);
	g_assert_cmpuint(root_names->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(root_names, 0), ==, "spec");

	spec = rdd_schema_get_property(schema, "spec");
	g_assert_nonnull(spec);
	g_assert_null(rdd_schema_get_property(schema, "nope"));
	g_assert_true(rdd_schema_is_required(spec, "running"));
	g_assert_false(rdd_schema_is_required(spec, "containerEngine"));
	names = rdd_schema_get_property_names(spec);
	g_assert_cmpuint(names->len, ==, 7);
	g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "containerEngine");
	g_assert_cmpstr(g_ptr_array_index(names, 1), ==, "env");
	g_assert_cmpstr(g_ptr_array_index(names, 2), ==, "port");
	g_assert_cmpstr(g_ptr_array_index(names, 3), ==, "ports");
	g_assert_cmpstr(g_ptr_array_index(names, 4), ==, "ratio");
	g_assert_cmpstr(g_ptr_array_index(names, 5), ==, "raw");
	g_assert_cmpstr(g_ptr_array_index(names, 6), ==, "running");

	name = rdd_schema_lookup(schema, "spec.containerEngine.name");
	g_assert_nonnull(name);
	g_assert_cmpint(rdd_schema_get_value_type(name), ==, RDD_SCHEMA_TYPE_STRING);
	g_assert_cmpstr(rdd_schema_get_value_type_name(name), ==, "string");
	values = rdd_schema_get_enum(name);
	g_assert_nonnull(values);
	g_assert_cmpuint(json_array_get_length(values), ==, 2);
	g_assert_cmpstr(json_array_get_string_element(values, 1), ==, "containerd");
	g_assert_cmpstr(json_node_get_string(rdd_schema_get_default(name)), ==, "moby");
	g_assert_true(rdd_schema_lookup(schema, "") == schema);
	g_assert_null(rdd_schema_lookup(schema, "spec.nope"));
	g_assert_null(rdd_schema_lookup(schema, "spec.running.deeper"));

	engine = rdd_schema_lookup(schema, "spec.containerEngine");
	default_json = rdd_json_to_string(rdd_schema_get_default(engine), FALSE);
	g_assert_cmpstr(default_json, ==, "{\"name\":\"moby\"}");
	g_assert_null(rdd_schema_get_description(engine));
	g_assert_null(rdd_schema_get_enum(engine));
	g_assert_null(rdd_schema_get_items(engine));
	g_assert_null(rdd_schema_get_additional_properties(engine));

	g_assert_cmpstr(rdd_schema_get_description(rdd_schema_lookup(schema, "spec.ports")), ==, "exposed ports");
	g_assert_cmpstr(rdd_schema_get_format(rdd_schema_get_property(
				rdd_schema_get_items(rdd_schema_lookup(schema, "spec.ports")), "port")),
			==, "int32");
	g_assert_cmpstr(rdd_schema_get_value_type_name(rdd_schema_get_additional_properties(
				rdd_schema_lookup(schema, "spec.env"))),
			==, "string");
	/* arrays are stepped through, like kubectl explain does */
	g_assert_true(rdd_schema_lookup(schema, "spec.ports.port") ==
		      rdd_schema_get_property(rdd_schema_get_items(rdd_schema_lookup(schema, "spec.ports")), "port"));
	g_assert_cmpint(rdd_schema_get_value_type(rdd_schema_lookup(schema, "spec.ports")), ==, RDD_SCHEMA_TYPE_ARRAY);
	/* map values can be looked up through the map */
	g_assert_true(rdd_schema_lookup(schema, "spec.env.HOME") ==
		      rdd_schema_get_additional_properties(rdd_schema_lookup(schema, "spec.env")));

	g_assert_cmpint(rdd_schema_get_value_type(rdd_schema_lookup(schema, "spec.raw")), ==, RDD_SCHEMA_TYPE_ANY);
	g_assert_cmpstr(rdd_schema_get_value_type_name(rdd_schema_lookup(schema, "spec.raw")), ==, "");
	g_assert_true(rdd_schema_get_preserve_unknown_fields(rdd_schema_lookup(schema, "spec.raw")));
	g_assert_true(rdd_schema_get_nullable(rdd_schema_lookup(schema, "spec.raw")));
	g_assert_false(rdd_schema_get_nullable(spec));
	g_assert_true(rdd_schema_get_int_or_string(rdd_schema_lookup(schema, "spec.port")));
	g_assert_false(rdd_schema_get_int_or_string(spec));
	g_assert_cmpstr(rdd_schema_get_value_type_name(rdd_schema_lookup(schema, "spec.ratio")), ==, "number");
	g_assert_cmpstr(rdd_schema_get_value_type_name(rdd_schema_lookup(schema, "spec.running")), ==, "boolean");

	/* the original JSON is kept */
	node_json = rdd_json_to_string(rdd_schema_get_node(name), FALSE);
	g_assert_cmpstr(node_json, ==, "{\"default\":\"moby\",\"enum\":[\"moby\",\"containerd\"],\"type\":\"string\"}");
}

static void
rdd_schema_refcount_func(void)
{
	g_autoptr(RddSchema) schema = rdd_schema_test_compile(APP_SCHEMA);
	RddSchema *name = rdd_schema_ref(rdd_schema_lookup(schema, "spec.containerEngine.name"));
	gpointer boxed;

	/* a sub-schema outlives its parent */
	g_clear_pointer(&schema, rdd_schema_unref);
	g_assert_cmpstr(json_node_get_string(rdd_schema_get_default(name)), ==, "moby");
	g_assert_cmpstr(rdd_schema_get_value_type_name(name), ==, "string");

	/* the boxed type refs and unrefs */
	g_assert_true(G_TYPE_IS_BOXED(RDD_TYPE_SCHEMA));
	boxed = g_boxed_copy(RDD_TYPE_SCHEMA, name);
	g_assert_true(boxed == name);
	g_boxed_free(RDD_TYPE_SCHEMA, boxed);
	rdd_schema_unref(name);
}

static void
rdd_schema_input_unchanged_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_yaml_parse(APP_SCHEMA, -1, &error);
	g_autofree gchar *before = rdd_json_to_string(node, FALSE);
	g_autofree gchar *after = NULL;
	g_autoptr(RddSchema) schema = NULL;
	g_autoptr(JsonNode) value = rdd_yaml_parse("{spec: {running: true}}", -1, &error);
	g_autoptr(JsonNode) value2 = rdd_yaml_parse("{spec: {running: true}}", -1, &error);
	JsonObject *engine;

	g_assert_no_error(error);
	schema = rdd_schema_new(node, &error);
	g_assert_no_error(error);
	/* the caller's node is not the one kept, and not changed */
	g_assert_true(rdd_schema_get_node(schema) != node);
	json_object_set_string_member(json_node_get_object(node), "type", "string");
	g_assert_cmpstr(rdd_schema_get_value_type_name(schema), ==, "object");
	json_object_set_string_member(json_node_get_object(node), "type", "object");
	after = rdd_json_to_string(node, FALSE);
	g_assert_cmpstr(before, ==, after);

	/* defaults are copies: changing one object does not change the schema or another */
	rdd_schema_apply_defaults(schema, value);
	rdd_schema_apply_defaults(schema, value2);
	engine = rdd_json_lookup_object(value, "spec.containerEngine");
	g_assert_nonnull(engine);
	json_object_set_string_member(engine, "name", "containerd");
	g_assert_cmpstr(rdd_json_lookup_string(value2, "spec.containerEngine.name"), ==, "moby");
	g_assert_cmpstr(json_node_get_string(rdd_schema_get_default(
				rdd_schema_lookup(schema, "spec.containerEngine.name"))),
			==, "moby");
}

static void
rdd_schema_depth_func(void)
{
	g_autoptr(GString) yaml = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddSchema) schema = NULL;

	/* 100 levels of items: too deep for a schema */
	for (guint i = 0; i < 100; i++)
		g_string_append(yaml, "{type: array, items: ");
	g_string_append(yaml, "{type: string}");
	for (guint i = 0; i < 100; i++)
		g_string_append_c(yaml, '}');
	node = rdd_yaml_parse(yaml->str, -1, &error);
	g_assert_no_error(error);
	schema = rdd_schema_new(node, &error);
	g_assert_null(schema);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "Forbidden: schema is nested deeper than 64 levels"));
}

/* validation without defaulting: a null with a default is still reported */
static void
rdd_schema_validate_only_func(void)
{
	g_autoptr(RddSchema) schema = rdd_schema_test_compile(APP_SCHEMA);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) value =
		rdd_yaml_parse("{\"spec\": {\"running\": true, \"containerEngine\": null}}", -1, &error);
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autofree gchar *str = NULL;

	g_assert_no_error(error);
	g_assert_false(rdd_schema_validate(schema, value, causes));
	g_assert_cmpuint(causes->len, ==, 1);
	str = rdd_cause_to_string(g_ptr_array_index(causes, 0));
	g_assert_cmpstr(str, ==,
			"spec.containerEngine: Invalid value: \"null\": spec.containerEngine in body "
			"must be of type object: \"null\"");

	/* causes are appended, never cleared */
	g_assert_false(rdd_schema_validate(schema, value, causes));
	g_assert_cmpuint(causes->len, ==, 2);
}

/* the built-in ConfigMap schema of the project */
static void
rdd_schema_configmap_func(void)
{
	g_autoptr(RddSchema) schema = rdd_schema_test_compile(
		"type: object\n"
		"properties:\n"
		"  data: {type: object, additionalProperties: {type: string}}\n"
		"  binaryData: {type: object, additionalProperties: {type: string, format: byte}}\n"
		"  immutable: {type: boolean}\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) value = rdd_yaml_parse("apiVersion: v1\n"
						   "kind: ConfigMap\n"
						   "metadata: {name: cm}\n"
						   "data: {a.b: x, c: '1'}\n"
						   "binaryData: {bin: 'AAEC', bad: 'x'}\n",
						   -1, &error);
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autofree gchar *str = NULL;

	g_assert_no_error(error);
	g_assert_false(rdd_schema_validate(schema, value, causes));
	str = rdd_schema_test_causes_to_string(causes);
	g_assert_cmpstr(str, ==,
			"FieldValueInvalid binaryData[bad]: Invalid value: \"x\": binaryData[bad] in "
			"body must be of type byte: \"x\"");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(rdd_schema_cases); i++) {
		g_autofree gchar *path = g_strdup_printf("/rdd/schema/case/%s", rdd_schema_cases[i].name);
		g_test_add_data_func(path, &rdd_schema_cases[i], rdd_schema_case_func);
	}
	g_test_add_func("/rdd/schema/accessors", rdd_schema_accessors_func);
	g_test_add_func("/rdd/schema/refcount", rdd_schema_refcount_func);
	g_test_add_func("/rdd/schema/input-unchanged", rdd_schema_input_unchanged_func);
	g_test_add_func("/rdd/schema/depth", rdd_schema_depth_func);
	g_test_add_func("/rdd/schema/validate-only", rdd_schema_validate_only_func);
	g_test_add_func("/rdd/schema/configmap", rdd_schema_configmap_func);
	return g_test_run();
}
