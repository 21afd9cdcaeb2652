/**
 * The HorizontalPodAutoscaler controller (kube-controller-manager 1.32,
 * pkg/controller/podautoscaler): every 15 s (--horizontal-pod-autoscaler-sync-period) each
 * autoscaling/v2 HPA reads its target's scale subresource, computes a replica count per metric
 * from the resource metrics API (metrics.k8s.io PodMetrics of the pods the scale's selector
 * picks, as replica_calculator.go does: 10% tolerance, unready and missing pods assumed idle on
 * a scale-up and busy on a scale-down, CPU samples of starting pods ignored), stabilizes and
 * limits it (the 5-minute downscale window and the max(2×, 4) scale-up limit, or the
 * spec.behavior policies), writes the target's scale and reports status, conditions and events
 * with upstream's texts.
 */
import { errorMessage } from './replicaset';
import { parseLabelSelector, matchesLabels, rfc3339, type ApiResponse } from '../apiserver';
import { compareVersions } from '../apiserver/registry';
import type { LabelSelector } from '../apiserver/selector';
import { keyOf, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** --horizontal-pod-autoscaler-sync-period: each HPA is reconciled this often. */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization. */
export const HPA_DOWNSCALE_STABILIZATION_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-tolerance. */
export const HPA_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const HPA_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const HPA_INITIAL_READINESS_DELAY_MS = 30_000;

const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

const HPA_API_VERSION = 'autoscaling/v2';
const HPA_KIND = 'HorizontalPodAutoscaler';

/** An error as a Go error: only its message matters. */
class HpaError extends Error {}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface TimestampedRecommendation {
  recommendation: number;
  timestamp: number;
}

interface ScaleEvent {
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

interface PodMetric {
  timestamp: number;
  window: number;
  value: number;
}

type PodMetrics = Map<string, PodMetric>;

interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies: { type: string; value: number; periodSeconds: number }[];
}

/** What one metric proposes, or why it could not. */
type Proposal =
  | { ok: true; replicas: number; metric: string; status: Obj }
  | { ok: false; error: string; condition: Condition | undefined; status?: Obj };

/** The HPA being reconciled: a private copy whose status is rebuilt as upstream does. */
interface Working {
  hpa: Obj;
  conditions: Condition[];
}

export function horizontalPodAutoscalerController(): Controller {
  return new HorizontalController();
}

class HorizontalController implements Controller {
  readonly name = 'horizontal-pod-autoscaler';
  private ctx!: ControllerContext;
  private hpas!: Informer;
  private pods!: Informer;
  /** Latest unstabilized recommendations per HPA key. */
  private readonly recommendations = new Map<string, TimestampedRecommendation[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();
  /** The selector of each HPA's target as last seen ("nothing" until its first reconcile). */
  private readonly selectors = new Map<string, LabelSelector | undefined>();

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.hpas = ctx.informers.for('horizontalpodautoscalers', 'autoscaling');
    this.pods = ctx.informers.for('pods');
    // enqueueHPA uses AddRateLimited with a fixed-interval limiter: every add waits one sync
    // period, and an earlier pending add wins.
    const enqueue = (o: Obj) => {
      const key = keyOf(o);
      ctx.queue.addAfter(key, HPA_SYNC_PERIOD_MS);
      if (!this.selectors.has(key)) this.selectors.set(key, undefined);
    };
    this.hpas.on({
      add: enqueue,
      update: (_old, o) => enqueue(o),
      delete: (o) => this.selectors.delete(keyOf(o)),
    });
  }

  reconcile(key: string): ReconcileResult {
    const hpa = this.hpas.get(key);
    if (!hpa) {
      this.recommendations.delete(key);
      this.scaleUpEvents.delete(key);
      this.scaleDownEvents.delete(key);
      return;
    }
    this.reconcileAutoscaler(hpa, key);
    return { requeueAfter: HPA_SYNC_PERIOD_MS };
  }

  // ---- reconcileAutoscaler ------------------------------------------------------------

  private reconcileAutoscaler(shared: Obj, key: string): void {
    const hpa: Obj = JSON.parse(JSON.stringify(shared)) as Obj;
    const originalStatus: Obj = (shared.status ?? {}) as Obj;
    const w: Working = { hpa, conditions: [...((hpa.status?.conditions ?? []) as Condition[]).map((c) => ({ ...c }))] };
    const spec: Obj = hpa.spec ?? {};
    const ref: Obj = spec.scaleTargetRef ?? {};
    const namespace: string = hpa.metadata.namespace;

    const failGetScale = (message: string) => {
      this.event(hpa, 'Warning', 'FailedGetScale', message);
      this.setCondition(w, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
      this.updateStatusIfNeeded(originalStatus, w, hpa.status ?? {});
    };

    const apiVersion: string = ref.apiVersion ?? '';
    if ((apiVersion.match(/\//g) ?? []).length > 1) return failGetScale(`unexpected GroupVersion string: ${apiVersion}`);
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    const mappings = this.ctx.api.registry
      .kindsInGroup(group)
      .filter((t) => t.kind === ref.kind)
      .sort((a, b) => compareVersions(a.version, b.version));
    if (mappings.length === 0) return failGetScale(`no matches for kind "${ref.kind}" in group "${group}"`);

    let scale: Obj | undefined;
    let scalePath = '';
    let firstError: string | undefined;
    for (const t of mappings) {
      const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
      const path = `${base}/namespaces/${namespace}/${t.name}/${ref.name}/scale`;
      const res = this.ctx.request({ method: 'GET', path });
      if (res.status === 200) {
        scale = res.body as Obj;
        scalePath = path;
        break;
      }
      firstError ??= errorMessage(res);
    }
    if (!scale) return failGetScale(firstError ?? 'unrecognized resource');

    this.setCondition(w, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const currentReplicas: number = scale.spec?.replicas ?? 0;
    this.recordInitialRecommendation(currentReplicas, key);

    let metricStatuses: Obj[] | null = null;
    let desiredReplicas = 0;
    let rescaleReason = '';
    const minReplicas: number = spec.minReplicas ?? 1;
    const maxReplicas: number = spec.maxReplicas ?? 0;
    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      desiredReplicas = 0;
      rescale = false;
      this.setCondition(w, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = this.computeReplicasForMetrics(w, scale, (spec.metrics ?? []) as Obj[]);
      metricStatuses = computed.statuses;
      if (computed.error !== undefined && computed.replicas === -1) {
        this.setStatus(w, currentReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false);
        this.updateStatusIfNeeded(originalStatus, w, hpa.status ?? {});
        this.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error);
        return;
      }
      let rescaleMetric = '';
      if (computed.replicas > desiredReplicas) {
        desiredReplicas = computed.replicas;
        rescaleMetric = computed.metric;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      desiredReplicas = spec.behavior
        ? this.normalizeDesiredReplicasWithBehaviors(w, key, currentReplicas, desiredReplicas, minReplicas)
        : this.normalizeDesiredReplicas(w, key, currentReplicas, desiredReplicas, minReplicas);
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      // The Scale it read goes back with the new replicas (its resourceVersion a precondition).
      const res = this.ctx.request({ method: 'PUT', path: scalePath, body: { ...scale, spec: { ...scale.spec, replicas: desiredReplicas } } });
      if (res.status !== 200) {
        const message = errorMessage(res);
        this.event(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${message}`);
        this.setCondition(w, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${message}`);
        this.setStatus(w, currentReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false);
        this.updateStatusIfNeeded(originalStatus, w, hpa.status ?? {});
        return;
      }
      this.setCondition(w, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`);
      this.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.storeScaleEvent(spec.behavior, key, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(w, currentReplicas, desiredReplicas, metricStatuses, rescale);
    this.updateStatusIfNeeded(originalStatus, w, hpa.status ?? {});
  }

  // ---- metrics --------------------------------------------------------------------------

  /**
   * computeReplicasForMetrics: the highest proposal of the valid metrics; replicas -1 when
   * nothing can be done (every metric invalid, or some invalid while the rest would scale down).
   */
  private computeReplicasForMetrics(w: Working, scale: Obj, specs: Obj[]): { replicas: number; metric: string; statuses: Obj[] | null; error?: string } {
    const selectorText: string = scale.status?.selector ?? '';
    const selector = this.validateAndParseSelector(w, selectorText);
    if (typeof selector === 'string') return { replicas: -1, metric: '', statuses: null, error: selector };

    const specReplicas: number = scale.spec?.replicas ?? 0;
    const statusReplicas: number = scale.status?.replicas ?? 0;
    const statuses: Obj[] = specs.map(() => ({ type: '' }));
    let invalidCount = 0;
    let invalidError: string | undefined;
    let invalidCondition: Condition | undefined;
    let replicas = 0;
    let metric = '';
    specs.forEach((spec, i) => {
      const p = this.computeReplicasForMetric(w, spec, specReplicas, statusReplicas, selector, selectorText);
      if (!p.ok) {
        if (invalidCount <= 0) {
          invalidCondition = p.condition;
          invalidError = p.error;
        }
        invalidCount++;
        return;
      }
      statuses[i] = p.status;
      if (replicas === 0 || p.replicas > replicas) {
        replicas = p.replicas;
        metric = p.metric;
      }
    });
    const error = invalidError === undefined ? undefined : `invalid metrics (${invalidCount} invalid out of ${specs.length}), first error is: ${invalidError}`;
    if (invalidCount >= specs.length || (invalidCount > 0 && replicas < specReplicas)) {
      // An empty condition (a metric type that failed before making one) is set as Go sets it.
      const c = invalidCondition ?? { type: '', status: '', reason: '', message: '' };
      this.setCondition(w, c.type, c.status, c.reason ?? '', c.message ?? '');
      return { replicas: -1, metric: '', statuses, ...(error !== undefined ? { error } : {}) };
    }
    this.setCondition(w, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
    return { replicas, metric, statuses, ...(error !== undefined ? { error } : {}) };
  }

  /** validateAndParseSelector: the selector, or the error message (with its event and condition). */
  private validateAndParseSelector(w: Working, text: string): LabelSelector | string {
    const hpa = w.hpa;
    if (text === '') {
      this.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      this.setCondition(w, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
      return 'selector is required';
    }
    let selector: LabelSelector;
    try {
      selector = parseLabelSelector(text);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
      this.event(hpa, 'Warning', 'InvalidSelector', message);
      this.setCondition(w, 'ScalingActive', 'False', 'InvalidSelector', message);
      return message;
    }
    const key = keyOf(hpa);
    if (this.selectors.has(key)) this.selectors.set(key, selector);
    const namespace: string = hpa.metadata.namespace;
    const controlling = new Set<string>();
    for (const pod of this.selectedPods(namespace, selector)) {
      for (const [other, sel] of this.selectors) {
        if (sel && splitKey(other).namespace === namespace && matchesLabels(sel, pod.metadata.labels)) controlling.add(other);
      }
    }
    if (controlling.size > 1) {
      const message = `pods by selector ${text} are controlled by multiple HPAs: [${[...controlling].sort().join(' ')}]`;
      this.event(hpa, 'Warning', 'AmbiguousSelector', message);
      this.setCondition(w, 'ScalingActive', 'False', 'AmbiguousSelector', message);
      return message;
    }
    return selector;
  }

  private selectedPods(namespace: string, selector: LabelSelector): Obj[] {
    return this.pods.list(namespace).filter((p) => matchesLabels(selector, p.metadata.labels));
  }

  /** computeReplicasForMetric: one metric's proposal, with its event and condition on failure. */
  private computeReplicasForMetric(w: Working, spec: Obj, specReplicas: number, statusReplicas: number, selector: LabelSelector, selectorText: string): Proposal {
    const hpa = w.hpa;
    const namespace: string = hpa.metadata.namespace;
    switch (spec.type) {
      case 'Resource':
      case 'ContainerResource': {
        const source: Obj = (spec.type === 'Resource' ? spec.resource : spec.containerResource) ?? {};
        const container: string = spec.type === 'Resource' ? '' : (source.container ?? '');
        const r = this.computeStatusForResourceMetricGeneric(specReplicas, source.target ?? {}, source.name, namespace, container, selector, selectorText, spec.type);
        if (!r.ok) {
          const reason = spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
          const condition = this.unableToCompute(hpa, reason, r.error);
          const error = spec.type === 'Resource' ? `failed to get ${source.name} resource metric value: ${r.error}` : `failed to get ${container} container metric value: ${r.error}`;
          return { ok: false, error, condition };
        }
        const status =
          spec.type === 'Resource'
            ? { type: 'Resource', resource: { name: source.name, current: r.current } }
            : { type: 'ContainerResource', containerResource: { name: source.name, current: r.current, container } };
        return { ok: true, replicas: r.replicas, metric: r.metric, status };
      }
      case 'Pods': {
        // No custom metrics API is served in this cluster (no adapter is installed).
        const name: string = spec.pods?.metric?.name ?? '';
        const err = `unable to get metric ${name}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`;
        return { ok: false, error: `failed to get pods metric value: ${err}`, condition: this.unableToCompute(hpa, 'FailedGetPodsMetric', err) };
      }
      case 'Object': {
        const o: Obj = spec.object ?? {};
        const name: string = o.metric?.name ?? '';
        const target: Obj = o.target ?? {};
        const described: Obj = o.describedObject ?? {};
        const err = `unable to get metric ${name}: ${described.kind} on ${namespace} ${described.name}/unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`;
        if (target.type === 'Value' && target.value !== undefined) {
          return { ok: false, error: `failed to get object metric value: ${err}`, condition: this.unableToCompute(hpa, 'FailedGetObjectMetric', err) };
        }
        if (target.type === 'AverageValue' && target.averageValue !== undefined) {
          return { ok: false, error: `failed to get object metric value: failed to get ${name} object metric: ${err}`, condition: this.unableToCompute(hpa, 'FailedGetObjectMetric', err) };
        }
        const invalid = 'invalid object metric source: neither a value target nor an average value target was set';
        return { ok: false, error: `failed to get object metric value: ${invalid}`, condition: this.unableToCompute(hpa, 'FailedGetObjectMetric', invalid) };
      }
      case 'External': {
        const e: Obj = spec.external ?? {};
        const name: string = e.metric?.name ?? '';
        const target: Obj = e.target ?? {};
        const err = `unable to get external metric ${namespace}/${name}/${goLabelSelector(e.metric?.selector)}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`;
        if (target.averageValue !== undefined) {
          const condition = this.unableToCompute(hpa, 'FailedGetExternalMetric', err);
          return { ok: false, error: `failed to get ${name} external metric value: failed to get ${name} external metric: ${err}`, condition };
        }
        if (target.value !== undefined) {
          const condition = this.unableToCompute(hpa, 'FailedGetExternalMetric', err);
          return { ok: false, error: `failed to get ${name} external metric value: failed to get external metric ${name}: ${err}`, condition };
        }
        const invalid = 'invalid external metric source: neither a value target nor an average value target was set';
        return { ok: false, error: `failed to get ${name} external metric value: ${invalid}`, condition: this.unableToCompute(hpa, 'FailedGetExternalMetric', invalid) };
      }
      default: {
        const err = `unknown metric source type "${spec.type ?? ''}"`;
        return { ok: false, error: err, condition: this.unableToCompute(hpa, 'InvalidMetricSourceType', err) };
      }
    }
  }

  /** computeStatusForResourceMetricGeneric: a Utilization or AverageValue resource target. */
  private computeStatusForResourceMetricGeneric(
    currentReplicas: number,
    target: Obj,
    resource: string,
    namespace: string,
    container: string,
    selector: LabelSelector,
    selectorText: string,
    sourceType: string,
  ): { ok: true; replicas: number; current: Obj; metric: string } | { ok: false; error: string } {
    try {
      if (target.averageValue !== undefined && target.averageValue !== null) {
        const metrics = this.getResourceMetric(resource, namespace, selectorText, container);
        const { replicas, usage } = this.calcPlainMetricReplicas(metrics, currentReplicas, milliValue(target.averageValue), namespace, selector, resource);
        return { ok: true, replicas, current: { averageValue: formatMilliDecimalSI(usage) }, metric: `${resource} resource` };
      }
    } catch (err) {
      if (!(err instanceof HpaError)) throw err;
      return { ok: false, error: `failed to get ${resource} usage: ${err.message}` };
    }
    if (target.averageUtilization === undefined || target.averageUtilization === null) {
      return { ok: false, error: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set' };
    }
    try {
      const r = this.getResourceReplicas(currentReplicas, target.averageUtilization, resource, namespace, selector, selectorText, container);
      const metric =
        sourceType === 'ContainerResource' ? `${resource} container resource utilization (percentage of request)` : `${resource} resource utilization (percentage of request)`;
      return { ok: true, replicas: r.replicas, current: { averageValue: formatMilliDecimalSI(r.rawUtilization), averageUtilization: r.utilization }, metric };
    } catch (err) {
      if (!(err instanceof HpaError)) throw err;
      return { ok: false, error: `failed to get ${resource} utilization: ${err.message}` };
    }
  }

  /** getUnableComputeReplicaCountCondition: a warning event, and the ScalingActive=False condition. */
  private unableToCompute(hpa: Obj, reason: string, error: string): Condition {
    this.event(hpa, 'Warning', reason, error);
    return { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${error}` };
  }

  /** resourceMetricsClient.GetResourceMetric: usage per pod (milli-units) from PodMetrics. */
  private getResourceMetric(resource: string, namespace: string, selectorText: string, container: string): PodMetrics {
    const prefix = `unable to get metrics for resource ${resource}`;
    const res = this.ctx.request({ method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`, query: { labelSelector: selectorText } });
    if (res.status !== 200) throw new HpaError(`${prefix}: unable to fetch metrics from resource metrics API: ${clientError(res, 'pods.metrics.k8s.io')}`);
    const items: Obj[] = (res.body as Obj).items ?? [];
    if (items.length === 0) throw new HpaError(`${prefix}: no metrics returned from resource metrics API`);
    const out: PodMetrics = new Map();
    for (const m of items) {
      const timestamp = Date.parse(m.timestamp);
      const window = parseGoDuration(m.window ?? '0s');
      const containers: Obj[] = m.containers ?? [];
      if (container !== '') {
        const c = containers.find((x) => x.name === container);
        if (!c) throw new HpaError(`${prefix}: failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`);
        const v = c.usage?.[resource];
        if (v !== undefined) out.set(m.metadata.name, { timestamp, window, value: milliValue(v) });
        continue;
      }
      let sum = 0;
      let missing = containers.length === 0;
      for (const c of containers) {
        const v = c.usage?.[resource];
        if (v === undefined) {
          missing = true;
          break;
        }
        sum += milliValue(v);
      }
      if (!missing) out.set(m.metadata.name, { timestamp, window, value: sum });
    }
    return out;
  }

  /** ReplicaCalculator.GetResourceReplicas: replicas for a utilization target. */
  private getResourceReplicas(
    currentReplicas: number,
    targetUtilization: number,
    resource: string,
    namespace: string,
    selector: LabelSelector,
    selectorText: string,
    container: string,
  ): { replicas: number; utilization: number; rawUtilization: number } {
    const metrics = this.getResourceMetric(resource, namespace, selectorText, container);
    const pods = this.selectedPods(namespace, selector);
    if (pods.length === 0) throw new HpaError('no pods returned by selector while calculating replica count');
    const { readyPodCount, unreadyPods, missingPods, ignoredPods } = this.groupPods(pods, metrics, resource);
    for (const p of ignoredPods) metrics.delete(p);
    for (const p of unreadyPods) metrics.delete(p);
    if (metrics.size === 0) throw new HpaError('did not receive metrics for targeted pods (pods might be unready)');

    const requests = calculatePodRequests(pods, container, resource);
    const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
    const { utilization, rawAverage } = first;
    const usageRatio = first.ratio;
    const within = (ratio: number) => Math.abs(1.0 - ratio) <= HPA_TOLERANCE;

    const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods.size === 0) {
      if (within(usageRatio)) return { replicas: currentReplicas, utilization, rawUtilization: rawAverage };
      return { replicas: toInt32(Math.ceil(usageRatio * readyPodCount)), utilization, rawUtilization: rawAverage };
    }
    if (missingPods.size > 0) {
      if (usageRatio < 1.0) {
        // On a scale-down, missing pods count as using all of their request (or the target when above 100%).
        const fallback = Math.max(100, targetUtilization);
        for (const p of missingPods) metrics.set(p, { timestamp: 0, window: 0, value: Math.trunc(((requests.get(p) ?? 0) * fallback) / 100) });
      } else if (usageRatio > 1.0) {
        for (const p of missingPods) metrics.set(p, { timestamp: 0, window: 0, value: 0 });
      }
    }
    if (scaleUpWithUnready) for (const p of unreadyPods) metrics.set(p, { timestamp: 0, window: 0, value: 0 });

    const newUsageRatio = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
    if (within(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      return { replicas: currentReplicas, utilization, rawUtilization: rawAverage };
    }
    const newReplicas = toInt32(Math.ceil(newUsageRatio * metrics.size));
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      return { replicas: currentReplicas, utilization, rawUtilization: rawAverage };
    }
    return { replicas: newReplicas, utilization, rawUtilization: rawAverage };
  }

  /** ReplicaCalculator.calcPlainMetricReplicas: replicas for an average-value target. */
  private calcPlainMetricReplicas(metrics: PodMetrics, currentReplicas: number, targetUsage: number, namespace: string, selector: LabelSelector, resource: string): { replicas: number; usage: number } {
    const pods = this.selectedPods(namespace, selector);
    if (pods.length === 0) throw new HpaError('no pods returned by selector while calculating replica count');
    const { readyPodCount, unreadyPods, missingPods, ignoredPods } = this.groupPods(pods, metrics, resource);
    for (const p of ignoredPods) metrics.delete(p);
    for (const p of unreadyPods) metrics.delete(p);
    if (metrics.size === 0) throw new HpaError('did not receive metrics for targeted pods (pods might be unready)');

    const first = metricUsageRatio(metrics, targetUsage);
    const usageRatio = first.ratio;
    const usage = first.usage;
    const within = (ratio: number) => Math.abs(1.0 - ratio) <= HPA_TOLERANCE;
    const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods.size === 0) {
      if (within(usageRatio)) return { replicas: currentReplicas, usage };
      return { replicas: toInt32(Math.ceil(usageRatio * readyPodCount)), usage };
    }
    if (missingPods.size > 0) {
      if (usageRatio < 1.0) for (const p of missingPods) metrics.set(p, { timestamp: 0, window: 0, value: targetUsage });
      else if (usageRatio > 1.0) for (const p of missingPods) metrics.set(p, { timestamp: 0, window: 0, value: 0 });
    }
    if (scaleUpWithUnready) for (const p of unreadyPods) metrics.set(p, { timestamp: 0, window: 0, value: 0 });
    const newUsageRatio = metricUsageRatio(metrics, targetUsage).ratio;
    if (within(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) return { replicas: currentReplicas, usage };
    const newReplicas = toInt32(Math.ceil(newUsageRatio * metrics.size));
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) return { replicas: currentReplicas, usage };
    return { replicas: newReplicas, usage };
  }

  /**
   * groupPods: pods being deleted or failed are ignored; pending pods count as unready; pods
   * without a sample are missing; for CPU, a pod still starting up (within the initialization
   * period) whose sample was not taken a full window after it became ready is unready too.
   */
  private groupPods(pods: Obj[], metrics: PodMetrics, resource: string) {
    const now = this.ctx.clock.now();
    const unreadyPods = new Set<string>();
    const missingPods = new Set<string>();
    const ignoredPods = new Set<string>();
    let readyPodCount = 0;
    for (const pod of pods) {
      const name: string = pod.metadata.name;
      if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
        ignoredPods.add(name);
        continue;
      }
      if (pod.status?.phase === 'Pending') {
        unreadyPods.add(name);
        continue;
      }
      const metric = metrics.get(name);
      if (!metric) {
        missingPods.add(name);
        continue;
      }
      if (resource === 'cpu') {
        const condition: Obj | undefined = ((pod.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
        const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
        let unready: boolean;
        if (!condition || startTime === undefined) unready = true;
        else {
          const transition = condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : 0;
          if (startTime + HPA_CPU_INITIALIZATION_PERIOD_MS > now) unready = condition.status === 'False' || metric.timestamp < transition + metric.window;
          else unready = condition.status === 'False' && startTime + HPA_INITIAL_READINESS_DELAY_MS > transition;
        }
        if (unready) {
          unreadyPods.add(name);
          continue;
        }
      }
      readyPodCount++;
    }
    return { readyPodCount, unreadyPods, missingPods, ignoredPods };
  }

  // ---- normalization ------------------------------------------------------------------------

  private recordInitialRecommendation(currentReplicas: number, key: string): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ recommendation: currentReplicas, timestamp: this.ctx.clock.now() }]);
  }

  /** stabilizeRecommendation: the highest recommendation of the downscale window. */
  private stabilizeRecommendation(key: string, prenormalized: number): number {
    const now = this.ctx.clock.now();
    const cutoff = now - HPA_DOWNSCALE_STABILIZATION_MS;
    const recs = this.recommendations.get(key) ?? [];
    let max = prenormalized;
    let oldIndex = -1;
    recs.forEach((rec, i) => {
      if (rec.timestamp < cutoff) oldIndex = i;
      else if (rec.recommendation > max) max = rec.recommendation;
    });
    if (oldIndex >= 0) recs[oldIndex] = { recommendation: prenormalized, timestamp: now };
    else recs.push({ recommendation: prenormalized, timestamp: now });
    this.recommendations.set(key, recs);
    return max;
  }

  private normalizeDesiredReplicas(w: Working, key: string, currentReplicas: number, prenormalized: number, minReplicas: number): number {
    const stabilized = this.stabilizeRecommendation(key, prenormalized);
    if (stabilized !== prenormalized) {
      this.setCondition(w, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    } else {
      this.setCondition(w, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    }
    const [desired, reason, message] = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, w.hpa.spec.maxReplicas ?? 0);
    this.setCondition(w, 'ScalingLimited', desired === stabilized ? 'False' : 'True', reason, message);
    return desired;
  }

  private normalizeDesiredReplicasWithBehaviors(w: Working, key: string, currentReplicas: number, prenormalized: number, minReplicas: number): number {
    const behavior: Obj = w.hpa.spec.behavior;
    const scaleUp = scalingRules(behavior.scaleUp, 'up');
    const scaleDown = scalingRules(behavior.scaleDown, 'down');
    const args = { key, scaleUp, scaleDown, minReplicas, maxReplicas: w.hpa.spec.maxReplicas ?? 0, currentReplicas, desiredReplicas: prenormalized };
    const [stabilized, reason, message] = this.stabilizeRecommendationWithBehaviors(args);
    args.desiredReplicas = stabilized;
    if (stabilized !== prenormalized) this.setCondition(w, 'AbleToScale', 'True', reason, message);
    else this.setCondition(w, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    const [desired, limitReason, limitMessage] = this.convertDesiredReplicasWithBehaviorRate(args);
    this.setCondition(w, 'ScalingLimited', desired === stabilized ? 'False' : 'True', limitReason, limitMessage);
    return desired;
  }

  private stabilizeRecommendationWithBehaviors(args: NormalizationArgs): [number, string, string] {
    const now = this.ctx.clock.now();
    let up = args.desiredReplicas;
    const upCutoff = now - args.scaleUp.stabilizationWindowSeconds * 1000;
    let down = args.desiredReplicas;
    const downCutoff = now - args.scaleDown.stabilizationWindowSeconds * 1000;
    const recs = this.recommendations.get(args.key) ?? [];
    let oldIndex = -1;
    recs.forEach((rec, i) => {
      if (rec.timestamp > upCutoff) up = Math.min(rec.recommendation, up);
      if (rec.timestamp > downCutoff) down = Math.max(rec.recommendation, down);
      if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
    });
    let recommendation = args.currentReplicas;
    if (recommendation < up) recommendation = up;
    if (recommendation > down) recommendation = down;
    if (oldIndex >= 0) recs[oldIndex] = { recommendation: args.desiredReplicas, timestamp: now };
    else recs.push({ recommendation: args.desiredReplicas, timestamp: now });
    this.recommendations.set(args.key, recs);
    if (args.desiredReplicas >= args.currentReplicas) {
      return [recommendation, 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation'];
    }
    return [recommendation, 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation'];
  }

  private convertDesiredReplicasWithBehaviorRate(args: NormalizationArgs): [number, string, string] {
    const now = this.ctx.clock.now();
    const ups = this.scaleUpEvents.get(args.key) ?? [];
    const downs = this.scaleDownEvents.get(args.key) ?? [];
    if (args.desiredReplicas > args.currentReplicas) {
      let limit = scaleUpLimitWithRules(args.currentReplicas, ups, downs, args.scaleUp, now);
      if (limit < args.currentReplicas) limit = args.currentReplicas;
      let maximum = args.maxReplicas;
      let reason: string;
      let message: string;
      if (maximum > limit) {
        maximum = limit;
        reason = 'ScaleUpLimit';
        message = 'the desired replica count is increasing faster than the maximum scale rate';
      } else {
        reason = 'TooManyReplicas';
        message = 'the desired replica count is more than the maximum replica count';
      }
      if (args.desiredReplicas > maximum) return [maximum, reason, message];
    } else if (args.desiredReplicas < args.currentReplicas) {
      let limit = scaleDownLimitWithRules(args.currentReplicas, ups, downs, args.scaleDown, now);
      if (limit > args.currentReplicas) limit = args.currentReplicas;
      let minimum = args.minReplicas;
      let reason: string;
      let message: string;
      if (minimum < limit) {
        minimum = limit;
        reason = 'ScaleDownLimit';
        message = 'the desired replica count is decreasing faster than the maximum scale rate';
      } else {
        message = 'the desired replica count is less than the minimum replica count';
        reason = 'TooFewReplicas';
      }
      if (args.desiredReplicas < minimum) return [minimum, reason, message];
    }
    return [args.desiredReplicas, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
  }

  /** storeScaleEvent: remembers a rescale for the rate policies (only with spec.behavior). */
  private storeScaleEvent(behavior: Obj | undefined, key: string, prev: number, next: number): void {
    if (!behavior) return;
    const now = this.ctx.clock.now();
    const up = next > prev;
    const rules = scalingRules(up ? behavior.scaleUp : behavior.scaleDown, up ? 'up' : 'down');
    const map = up ? this.scaleUpEvents : this.scaleDownEvents;
    const events = map.get(key) ?? [];
    const longest = rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
    const cutoff = now - longest * 1000;
    for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
    let oldIndex = -1;
    events.forEach((e, i) => {
      if (e.outdated) oldIndex = i;
    });
    const event = { replicaChange: up ? next - prev : prev - next, timestamp: now, outdated: false };
    if (oldIndex >= 0) events[oldIndex] = event;
    else events.push(event);
    map.set(key, events);
  }

  // ---- status ------------------------------------------------------------------------------

  /** setConditionInList: sets a condition, stamping lastTransitionTime when its status changes. */
  private setCondition(w: Working, type: string, status: string, reason: string, message: string): void {
    let c = w.conditions.find((x) => x.type === type);
    if (!c) {
      c = { type, status: '' };
      w.conditions.push(c);
    }
    if (c.status !== status) c.lastTransitionTime = rfc3339(this.ctx.clock.now());
    c.status = status;
    c.reason = reason;
    c.message = message;
  }

  /** setStatus: the status rebuilt from scratch, as upstream does (no observedGeneration). */
  private setStatus(w: Working, currentReplicas: number, desiredReplicas: number, metrics: Obj[] | null, rescale: boolean): void {
    const previous: Obj = w.hpa.status ?? {};
    const lastScaleTime = rescale ? rfc3339(this.ctx.clock.now()) : previous.lastScaleTime;
    w.hpa.status = {
      ...(lastScaleTime ? { lastScaleTime } : {}),
      ...(currentReplicas !== 0 ? { currentReplicas } : {}),
      desiredReplicas,
      currentMetrics: metrics,
    };
  }

  /** updateStatusIfNeeded: writes the status when it differs from what the informer had. */
  private updateStatusIfNeeded(original: Obj, w: Working, status: Obj): void {
    const next: Obj = {
      ...(status.lastScaleTime ? { lastScaleTime: status.lastScaleTime } : {}),
      ...(status.currentReplicas ? { currentReplicas: status.currentReplicas } : {}),
      desiredReplicas: status.desiredReplicas ?? 0,
      currentMetrics: status.currentMetrics ?? null,
      ...(w.conditions.length ? { conditions: w.conditions.map(conditionJson) } : {}),
    };
    if (sameStatus(original, next)) return;
    const hpa = w.hpa;
    const { namespace, name } = hpa.metadata;
    const res = this.ctx.request({
      method: 'PUT',
      path: `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${name}/status`,
      body: { ...this.hpas.versioned(this.hpas.get(keyOf(hpa)) ?? hpa), status: next },
    });
    if (res.status !== 200) this.event(hpa, 'Warning', 'FailedUpdateStatus', errorMessage(res));
  }

  private event(hpa: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.event(this.hpas.reference({ ...hpa, kind: HPA_KIND, apiVersion: HPA_API_VERSION }), type, reason, message);
  }
}

interface NormalizationArgs {
  key: string;
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

/**
 * The scaling rules with the API defaults filled in (GenerateHPAScaleUpRules /
 * GenerateHPAScaleDownRules), and the scale-down window from the controller flag when unset
 * (maybeInitScaleDownStabilizationWindow).
 */
function scalingRules(rules: Obj | undefined, direction: 'up' | 'down'): ScalingRules {
  const defaults: ScalingRules =
    direction === 'up'
      ? {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
        }
      : { stabilizationWindowSeconds: HPA_DOWNSCALE_STABILIZATION_MS / 1000, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: (rules?.policies as ScalingRules['policies'] | undefined) ?? defaults.policies,
  };
}

function replicasChangePerPeriod(periodSeconds: number, events: ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let replicas = 0;
  for (const e of events) if (e.timestamp > cutoff) replicas += e.replicaChange;
  return replicas;
}

/** calculateScaleUpLimitWithScalingRules. */
function scaleUpLimitWithRules(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? INT32_MAX : INT32_MIN;
  let proposed = 0;
  for (const policy of rules.policies) {
    const start = current - replicasChangePerPeriod(policy.periodSeconds, ups, now) + replicasChangePerPeriod(policy.periodSeconds, downs, now);
    if (policy.type === 'Pods') proposed = start + policy.value;
    else if (policy.type === 'Percent') proposed = toInt32(Math.ceil(start * (1 + policy.value / 100)));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors. */
function scaleDownLimitWithRules(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy !== 'Min';
  let result = pickMin ? INT32_MAX : INT32_MIN;
  let proposed = 0;
  for (const policy of rules.policies) {
    const start = current - replicasChangePerPeriod(policy.periodSeconds, ups, now) + replicasChangePerPeriod(policy.periodSeconds, downs, now);
    if (policy.type === 'Pods') proposed = start - policy.value;
    else if (policy.type === 'Percent') proposed = toInt32(Math.trunc(start * (1 - policy.value / 100)));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** convertDesiredReplicasWithRules: min/max clamping and the max(2×current, 4) scale-up limit. */
function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): [number, string, string] {
  const scaleUpLimit = Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM));
  let maximum: number;
  let reason: string;
  let message: string;
  if (max > scaleUpLimit) {
    maximum = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maximum = max;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desired < min) return [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
  if (desired > maximum) return [maximum, reason, message];
  return [desired, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
}

/** calculatePodRequests: each pod's summed request (milli-units) of the resource. */
function calculatePodRequests(pods: Obj[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    const containers: Obj[] = [...(pod.spec?.containers ?? []), ...((pod.spec?.initContainers ?? []) as Obj[]).filter((c) => c.restartPolicy === 'Always')];
    for (const c of containers) {
      if (container !== '' && container !== c.name) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new HpaError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milliValue(request);
    }
    requests.set(pod.metadata.name, sum);
  }
  return requests;
}

/** metricsclient.GetResourceUtilizationRatio, in Go's integer arithmetic. */
function resourceUtilizationRatio(metrics: PodMetrics, requests: Map<string, number>, target: number): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let entries = 0n;
  for (const [pod, m] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += BigInt(m.value);
    requestsTotal += BigInt(request);
    entries++;
  }
  if (requestsTotal === 0n) throw new HpaError('no metrics returned matched known pods');
  const utilization = toInt32(Number((metricsTotal * 100n) / requestsTotal));
  return { ratio: utilization / target, utilization, rawAverage: Number(metricsTotal / entries) };
}

/** metricsclient.GetMetricUsageRatio. */
function metricUsageRatio(metrics: PodMetrics, target: number): { ratio: number; usage: number } {
  let total = 0n;
  for (const m of metrics.values()) total += BigInt(m.value);
  const usage = Number(total / BigInt(metrics.size));
  return { ratio: usage / target, usage };
}

/** Go's int32 conversion of an in-range value (truncation toward zero). */
function toInt32(n: number): number {
  return Math.trunc(n) | 0;
}

function conditionJson(c: Condition): Obj {
  return {
    type: c.type,
    status: c.status,
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  };
}

function sameStatus(a: Obj, b: Obj): boolean {
  const norm = (s: Obj) =>
    JSON.stringify([s.lastScaleTime ?? null, s.currentReplicas ?? 0, s.desiredReplicas ?? 0, s.currentMetrics ?? null, (s.conditions ?? []).map(conditionJson), s.observedGeneration ?? null]);
  return norm(a) === norm(b);
}

/**
 * client-go's error for an aggregated API that is missing (404) or unavailable (503): the
 * aggregator answers with plain text, so the client makes a generic message naming the request.
 */
function clientError(res: ApiResponse, resource: string): string {
  if (res.status === 404) return `the server could not find the requested resource (get ${resource})`;
  if (res.status === 503) return `the server is currently unable to handle the request (get ${resource})`;
  return errorMessage(res);
}

/** metav1.LabelSelector as Go's %+v prints a *LabelSelector (its generated String method). */
function goLabelSelector(sel: Obj | undefined | null): string {
  if (!sel) return '<nil>';
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels[k]},`)
    .join('');
  const exprs = ((sel.matchExpressions ?? []) as Obj[])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

// ---- quantities and durations ----------------------------------------------------------------

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** resource.Quantity.MilliValue: the value in thousandths, rounded up as ScaledValue does. */
export function milliValue(q: string | number): number {
  const text = String(q).trim();
  const m = QUANTITY.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 0;
  const negative = m[1] === '-';
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+(?=\d)/, '') || '0';
  let numerator = BigInt(digits);
  let denominator = 1n;
  let exp10 = -(m[3] ?? '').length + 3; // ×1000 for milli-units
  const suffix = m[5] ?? '';
  if (m[4]) exp10 += Number(m[4].slice(1));
  else if (suffix in BINARY_SUFFIX) numerator *= 1n << BigInt(BINARY_SUFFIX[suffix]!);
  else exp10 += DECIMAL_SUFFIX[suffix] ?? 0;
  if (exp10 >= 0) numerator *= 10n ** BigInt(exp10);
  else denominator = 10n ** BigInt(-exp10);
  let value = numerator / denominator;
  const exact = value * denominator === numerator;
  if (negative) value = -value;
  else if (!exact) value += 1n;
  return Number(value);
}

/** resource.NewMilliQuantity(v, DecimalSI).String(): "250m", "1", "1500m", "157286400", "2k". */
export function formatMilliDecimalSI(milli: number): string {
  if (milli === 0) return '0';
  let mantissa = BigInt(Math.trunc(milli));
  let exponent = -3;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const r = ((exponent % 3) + 3) % 3;
  if (r !== 0) {
    mantissa *= 10n ** BigInt(r);
    exponent -= r;
  }
  const suffix = Object.entries(DECIMAL_SUFFIX).find(([, e]) => e === exponent)?.[0];
  return suffix !== undefined ? `${mantissa}${suffix}` : `${mantissa}e${exponent}`;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration string ("15.5s", "1m0.5s") to milliseconds. */
function parseGoDuration(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return total;
}
