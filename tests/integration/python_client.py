#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# The Debian python3-kubernetes client against a running rdd-daemon: CustomObjectsApi list,
# watch and merge patch of the Demo kind (and of the fixture Widget kind when its plugin is
# loaded), and CoreV1Api list/create/delete of ConfigMaps.
#
# Run by python-client.bats with KUBECONFIG pointing at the daemon's kubeconfig:
#   python_client.py CASE    (one of the names in CASES below)
# Exits 0 on success, 1 on a failed check (with a message saying what differed), 77 when the
# client library is not installed.

import sys
import threading
import time
import traceback

try:
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"python3-kubernetes is not installed: {e}", file=sys.stderr)
    sys.exit(77)

GROUP = "app.rancherdesktop.io"
VERSION = "v1alpha1"
PLURAL = "demos"
WIDGET_GROUP = "fixtures.rancherdesktop.io"
WIDGET_PLURAL = "widgets"


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)


def check_equal(got, expected, what):
    if got != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {got!r}")


def expect_api_error(status, reason, func, *args, **kwargs):
    """Calls func and checks it fails with an ApiException of that status and reason."""
    try:
        func(*args, **kwargs)
    except ApiException as e:
        check_equal(e.status, status, f"HTTP status of {func.__name__}")
        body = e.body.decode() if isinstance(e.body, bytes) else (e.body or "")
        check(f'"reason":"{reason}"' in body.replace(" ", ""), f"reason {reason} in {body!r}")
        return body
    raise CheckFailed(f"{func.__name__} succeeded; expected HTTP {status} {reason}")


def custom_api():
    return client.CustomObjectsApi()


def ensure_demo(api, message="from-python", count=1):
    """Creates the Demo singleton, or returns the existing one."""
    body = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "Demo",
        "metadata": {"name": "demo", "labels": {"client": "python"}},
        "spec": {"message": message, "count": count},
    }
    try:
        return api.create_cluster_custom_object(GROUP, VERSION, PLURAL, body)
    except ApiException as e:
        if e.status != 409:
            raise
        return api.get_cluster_custom_object(GROUP, VERSION, PLURAL, "demo")


def have_widgets():
    try:
        versions = client.ApisApi().get_api_versions()
    except ApiException:
        return False
    return any(g.name == WIDGET_GROUP for g in versions.groups)


# ------------------------------------------------------------------------------------------
# cases


def case_list_custom():
    api = custom_api()
    created = ensure_demo(api)
    check_equal(created["metadata"]["name"], "demo", "created Demo name")

    result = api.list_cluster_custom_object(GROUP, VERSION, PLURAL)
    check_equal(result["kind"], "DemoList", "list kind")
    check_equal(result["apiVersion"], f"{GROUP}/{VERSION}", "list apiVersion")
    names = [item["metadata"]["name"] for item in result["items"]]
    check_equal(names, ["demo"], "listed Demo names")
    check(result["metadata"]["resourceVersion"].isdigit(), "list resourceVersion is a number")

    selected = api.list_cluster_custom_object(GROUP, VERSION, PLURAL, label_selector="client=python")
    check_equal(len(selected["items"]), 1, "items with client=python")
    none = api.list_cluster_custom_object(GROUP, VERSION, PLURAL, label_selector="client=go")
    check_equal(none["items"], [], "items with client=go")
    by_field = api.list_cluster_custom_object(GROUP, VERSION, PLURAL, field_selector="metadata.name=demo")
    check_equal(len(by_field["items"]), 1, "items with metadata.name=demo")

    got = api.get_cluster_custom_object(GROUP, VERSION, PLURAL, "demo")
    check_equal(got["spec"]["message"], created["spec"]["message"], "spec.message read back")
    # the schema's default
    check_equal(got["spec"].get("namespace"), "default", "defaulted spec.namespace")

    body = expect_api_error(404, "NotFound", api.get_cluster_custom_object, GROUP, VERSION, PLURAL, "missing")
    check('demos.app.rancherdesktop.io \\"missing\\" not found' in body, f"NotFound message in {body}")
    body = expect_api_error(
        403,
        "Forbidden",
        api.create_cluster_custom_object,
        GROUP,
        VERSION,
        PLURAL,
        {"apiVersion": f"{GROUP}/{VERSION}", "kind": "Demo", "metadata": {"name": "other"}},
    )
    check("Demo resource must be named 'demo'" in body, f"admission message in {body}")


def case_list_widgets():
    if not have_widgets():
        print("the fixture plugin (Widget kind) is not loaded", file=sys.stderr)
        sys.exit(77)
    api = custom_api()
    for ns, name in (("default", "py-w1"), ("default", "py-w2"), ("kube-public", "py-w3")):
        api.create_namespaced_custom_object(
            WIDGET_GROUP,
            VERSION,
            ns,
            WIDGET_PLURAL,
            {
                "apiVersion": f"{WIDGET_GROUP}/{VERSION}",
                "kind": "Widget",
                "metadata": {"name": name, "labels": {"set": "py"}},
                "spec": {"value": name},
            },
        )
    in_default = api.list_namespaced_custom_object(WIDGET_GROUP, VERSION, "default", WIDGET_PLURAL)
    check_equal(sorted(i["metadata"]["name"] for i in in_default["items"]), ["py-w1", "py-w2"], "widgets in default")
    everywhere = api.list_cluster_custom_object(WIDGET_GROUP, VERSION, WIDGET_PLURAL, label_selector="set=py")
    check_equal(
        sorted((i["metadata"]["namespace"], i["metadata"]["name"]) for i in everywhere["items"]),
        [("default", "py-w1"), ("default", "py-w2"), ("kube-public", "py-w3")],
        "widgets in every namespace",
    )
    patched = api.patch_namespaced_custom_object(
        WIDGET_GROUP, VERSION, "default", WIDGET_PLURAL, "py-w1", {"spec": {"value": "patched"}}
    )
    check_equal(patched["spec"]["value"], "patched", "patched widget value")
    api.delete_namespaced_custom_object(WIDGET_GROUP, VERSION, "kube-public", WIDGET_PLURAL, "py-w3")
    expect_api_error(
        404, "NotFound", api.get_namespaced_custom_object, WIDGET_GROUP, VERSION, "kube-public", WIDGET_PLURAL, "py-w3"
    )


def case_watch_custom():
    api = custom_api()
    ensure_demo(api)
    events = []
    failure = []
    first_seen = threading.Event()

    def writer():
        try:
            if not first_seen.wait(10):
                failure.append("the watch delivered no first event within 10 s")
                return
            api.patch_cluster_custom_object(GROUP, VERSION, PLURAL, "demo", {"spec": {"message": "watched-1"}})
            api.patch_cluster_custom_object(
                GROUP, VERSION, PLURAL, "demo", {"metadata": {"labels": {"watched": "yes"}}}
            )
        except Exception as e:  # reported by the main thread
            failure.append(f"writer: {e!r}")

    thread = threading.Thread(target=writer)
    thread.start()
    w = watch.Watch()
    start = time.monotonic()
    for event in w.stream(api.list_cluster_custom_object, GROUP, VERSION, PLURAL, timeout_seconds=15):
        obj = event["object"]
        events.append((event["type"], obj["metadata"]["name"], obj["spec"].get("message"),
                       obj["metadata"].get("labels", {}).get("watched")))
        first_seen.set()
        if obj["metadata"].get("labels", {}).get("watched") == "yes":
            w.stop()
        if time.monotonic() - start > 30:
            break
    thread.join()
    check(not failure, "; ".join(failure))
    types = [e[0] for e in events]
    check(len(events) >= 3, f"at least 3 events, got {events}")
    check_equal(types[0], "ADDED", "first event type")
    check(all(t in ("ADDED", "MODIFIED") for t in types), f"only ADDED and MODIFIED: {types}")
    check(("MODIFIED", "demo", "watched-1", None) in events, f"the spec change as MODIFIED in {events}")
    check_equal(events[-1][3], "yes", "the label change is the last event seen")
    check_equal(events[-1][0], "MODIFIED", "the label change's event type")
    # resource versions only grow
    last = api.get_cluster_custom_object(GROUP, VERSION, PLURAL, "demo")
    check_equal(last["metadata"]["labels"]["watched"], "yes", "label stored")


def case_watch_timeout():
    """A watch with timeout_seconds ends by itself, without events when nothing changes."""
    api = custom_api()
    ensure_demo(api)
    listed = api.list_cluster_custom_object(GROUP, VERSION, PLURAL)
    rv = listed["metadata"]["resourceVersion"]
    w = watch.Watch()
    start = time.monotonic()
    events = list(
        w.stream(api.list_cluster_custom_object, GROUP, VERSION, PLURAL, resource_version=rv, timeout_seconds=2)
    )
    elapsed = time.monotonic() - start
    # the demo controller may still write status: only MODIFIED events may come
    check(all(e["type"] == "MODIFIED" for e in events), f"no ADDED replay after {rv}: {events}")
    check(1.5 <= elapsed < 10, f"the watch ended after {elapsed:.1f} s, expected about 2 s")


def case_patch_custom():
    api = custom_api()
    before = ensure_demo(api)
    generation = before["metadata"]["generation"]
    patched = api.patch_cluster_custom_object(
        GROUP, VERSION, PLURAL, "demo", {"spec": {"message": "merged", "count": 2}}
    )
    check_equal(patched["spec"]["message"], "merged", "patched spec.message")
    check_equal(patched["spec"]["count"], 2, "patched spec.count")
    check_equal(patched["metadata"]["generation"], generation + 1, "generation after a spec change")
    check(int(patched["metadata"]["resourceVersion"]) > int(before["metadata"]["resourceVersion"]),
          "resourceVersion grows")
    # null deletes a key in a merge patch
    patched = api.patch_cluster_custom_object(GROUP, VERSION, PLURAL, "demo", {"spec": {"message": None}})
    check("message" not in patched["spec"], f"spec.message removed: {patched['spec']}")
    read = api.get_cluster_custom_object(GROUP, VERSION, PLURAL, "demo")
    check("message" not in read["spec"], "spec.message removed in the stored object")
    check_equal(read["spec"]["count"], 2, "spec.count kept")
    # an invalid value is refused with the field named
    body = expect_api_error(
        422, "Invalid", api.patch_cluster_custom_object, GROUP, VERSION, PLURAL, "demo", {"spec": {"count": -1}}
    )
    check("spec.count" in body, f"the field spec.count in {body}")
    # status through the status subresource
    status = api.patch_cluster_custom_object_status(
        GROUP, VERSION, PLURAL, "demo", {"status": {"processedCount": 0}}
    )
    check("status" in status, "status subresource answered with the object")


def case_core_configmaps():
    core = client.CoreV1Api()
    labels = {"owner": "python-client"}
    for name, data in (("py-cm-1", {"a": "1"}), ("py-cm-2", {"b": "2"})):
        created = core.create_namespaced_config_map(
            "default",
            client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data),
        )
        check_equal(created.metadata.name, name, "created ConfigMap name")
        check_equal(created.data, data, "created ConfigMap data")
        check(created.metadata.uid, "created ConfigMap has a uid")
        check(created.metadata.creation_timestamp is not None, "created ConfigMap has a creationTimestamp")

    listed = core.list_namespaced_config_map("default", label_selector="owner=python-client")
    check_equal(sorted(cm.metadata.name for cm in listed.items), ["py-cm-1", "py-cm-2"], "listed ConfigMaps")
    everywhere = core.list_config_map_for_all_namespaces(label_selector="owner=python-client")
    check_equal(len(everywhere.items), 2, "ConfigMaps in every namespace")

    body = expect_api_error(
        409,
        "AlreadyExists",
        core.create_namespaced_config_map,
        "default",
        client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm-1")),
    )
    check('configmaps \\"py-cm-1\\" already exists' in body, f"AlreadyExists message in {body}")

    read = core.read_namespaced_config_map("py-cm-1", "default")
    check_equal(read.data, {"a": "1"}, "read ConfigMap data")
    read.data["a"] = "changed"
    replaced = core.replace_namespaced_config_map("py-cm-1", "default", read)
    check_equal(replaced.data["a"], "changed", "replaced data")
    # the old resourceVersion is stale now
    read.data["a"] = "stale"
    expect_api_error(409, "Conflict", core.replace_namespaced_config_map, "py-cm-1", "default", read)

    status = core.delete_namespaced_config_map("py-cm-1", "default")
    check(status is not None, "delete answered")
    expect_api_error(404, "NotFound", core.read_namespaced_config_map, "py-cm-1", "default")
    core.delete_collection_namespaced_config_map("default", label_selector="owner=python-client")
    left = core.list_namespaced_config_map("default", label_selector="owner=python-client")
    check_equal(left.items, [], "ConfigMaps left after deletecollection")

    namespaces = core.list_namespace()
    names = [ns.metadata.name for ns in namespaces.items]
    check("default" in names and "kube-system" in names, f"system namespaces in {names}")


CASES = {
    "list-custom": case_list_custom,
    "list-widgets": case_list_widgets,
    "watch-custom": case_watch_custom,
    "watch-timeout": case_watch_timeout,
    "patch-custom": case_patch_custom,
    "core-configmaps": case_core_configmaps,
}


def main(argv):
    if len(argv) != 2 or argv[1] not in CASES:
        print(f"usage: {argv[0]} {{{'|'.join(CASES)}}}", file=sys.stderr)
        return 2
    config.load_kube_config()
    try:
        CASES[argv[1]]()
    except CheckFailed as e:
        print(f"{argv[1]}: check failed: {e}", file=sys.stderr)
        return 1
    except ApiException as e:
        print(f"{argv[1]}: unexpected API error {e.status} {e.reason}: {e.body}", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    print(f"{argv[1]}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
