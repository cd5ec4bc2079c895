/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Condition types, reasons, finalizers, labels and annotations shared by the plugins, so that
 * a writer and a reader of a condition can never disagree on its spelling.
 */

#pragma once

/* condition statuses */
#define RDD_CONDITION_TRUE    "True"
#define RDD_CONDITION_FALSE   "False"
#define RDD_CONDITION_UNKNOWN "Unknown"

/* condition types */
#define RDD_COND_CREATED		"Created"
#define RDD_COND_RUNNING		"Running"
#define RDD_COND_CONTAINER_ENGINE_READY "ContainerEngineReady"
#define RDD_COND_KUBERNETES_READY	"KubernetesReady"
#define RDD_COND_SETTLED		"Settled"

/* reasons of Created */
#define RDD_REASON_PENDING	 "Pending"
#define RDD_REASON_CREATED	 "Created"
#define RDD_REASON_CREATE_FAILED "CreateFailed"

/* reasons of Running */
#define RDD_REASON_RECONCILING	"Reconciling"
#define RDD_REASON_STARTING	"Starting"
#define RDD_REASON_STARTED	"Started"
#define RDD_REASON_STOPPED	"Stopped"
#define RDD_REASON_START_FAILED "StartFailed"
#define RDD_REASON_STOP_FAILED	"StopFailed"
/* host mode: the host's Docker engine does not answer */
#define RDD_REASON_ENGINE_UNREACHABLE "EngineUnreachable"

/* reasons of ContainerEngineReady */
#define RDD_REASON_CONNECTED	  "Connected"
#define RDD_REASON_NOT_APPLICABLE "NotApplicable"
#define RDD_REASON_CONNECT_FAILED "ConnectFailed"

/* reasons of KubernetesReady */
#define RDD_REASON_READY	    "Ready"
#define RDD_REASON_NOT_RUNNING	    "NotRunning"
#define RDD_REASON_PROBING	    "Probing"
#define RDD_REASON_WAITING_FOR_NODE "WaitingForNode"
#define RDD_REASON_MERGE_FAILED	    "MergeFailed"

/* reasons of Settled */
#define RDD_REASON_SETTLED		   "Settled"
#define RDD_REASON_WAITING_FOR_LIMAVM	   "WaitingForLimaVM"
#define RDD_REASON_WAITING_FOR_ENGINE	   "WaitingForEngine"
#define RDD_REASON_ENGINE_STALE		   "EngineStale"
#define RDD_REASON_WAITING_FOR_KUBERNETES  "WaitingForKubernetes"
#define RDD_REASON_KUBERNETES_STALE	   "KubernetesStale"
#define RDD_REASON_APPLYING_TEMPLATE	   "ApplyingTemplate"

/* finalizers */
#define RDD_FINALIZER_CLEANUP	       "rdd.rancherdesktop.io/cleanup"
#define RDD_FINALIZER_OWNED_BY_PREFIX  "rdd.rancherdesktop.io/owned-by-"
#define RDD_FINALIZER_OWNED_BY_APP     "rdd.rancherdesktop.io/owned-by-App"
#define RDD_FINALIZER_OWNED_BY_LIMAVM  "rdd.rancherdesktop.io/owned-by-LimaVM"

/* labels and annotations */
#define RDD_LABEL_TEMPLATE_CONFIGMAP	   "lima.rancherdesktop.io/template-configmap"
#define RDD_ANNOTATION_RESTART_REQUESTED   "lima.rancherdesktop.io/restartRequested"

/* names */
#define RDD_APP_NAME		"app"
#define RDD_APP_GROUP		"app.rancherdesktop.io"
#define RDD_APP_API_VERSION	"app.rancherdesktop.io/v1alpha1"
#define RDD_LIMA_GROUP		"lima.rancherdesktop.io"
#define RDD_LIMA_API_VERSION	"lima.rancherdesktop.io/v1alpha1"
#define RDD_LIMAVM_NAME		"rd"
#define RDD_TEMPLATE_DATA_KEY	"template"
#define RDD_TEMPLATE_SUFFIX	"-template"

/* VM types of App.spec.vm.type and LimaVM.spec.vmType */
#define RDD_VM_TYPE_LIMA "lima"
#define RDD_VM_TYPE_HOST "host"
#define RDD_DEFAULT_HOST_DOCKER_SOCKET "/var/run/docker.sock"
