/*
 * emostream live dashboard: the wallboard (index.html) and the call page (call.html).
 *
 * Plain ES2020, no dependencies. Every piece of server data reaches the page through textContent or
 * setAttribute, never through innerHTML: transcripts, rationales and ids are untrusted text.
 *
 * The page is picked by <body data-page="wallboard|call">; Dashboard.wallboard() and Dashboard.callPage()
 * can also be called directly (each starts once).
 */
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** Fixed role palette; keep in step with the .role-* rules in dashboard.css. */
  const ROLE_COLORS = {
    AGENT: '#1d5fa8',
    CUSTOMER: '#a1367a',
    HOST: '#0f7b5f',
    GUEST: '#6b3fa0',
    UNKNOWN: '#5f6b7a',
  };
  const ROLE_ORDER = ['AGENT', 'CUSTOMER', 'HOST', 'GUEST', 'UNKNOWN'];
  const STATE_NAMES = ['calm', 'watch', 'escalating'];
  const MAX_ALERTS = 100;
  const SPARK_SLOTS = 20;
  const RESYNC_INTERVAL_MS = 60000;
  const RETRY_MS = 10000;

  const AUTH_MESSAGE = 'This dashboard needs a token: open it with ?token=YOUR_TOKEN once.';
  const NO_CALLS = 'No live calls right now — waiting for events.';
  const NO_ALERTS = 'No alerts.';

  /** recentlyEnded: how many ended calls the server lists, and so the page keeps under "Recently ended". */
  const config = { hideTranscripts: false, title: 'emostream', recentlyEnded: 20 };
  let authFailed = false;
  let stream = null;

  // ---------------------------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  /**
   * Creates an element. attrs: "class", "text" (textContent), "dataset" (object) or any attribute name;
   * null/undefined/false values are skipped. Children: nodes or strings (strings become text nodes).
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svgEl(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.setAttribute('class', value);
      else if (key === 'text') node.textContent = String(value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }

  const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
  const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

  /** Two decimals; "—" when missing. Never "-0.00". */
  function fmt2(x) {
    if (!isNum(x)) return '—';
    const s = x.toFixed(2);
    return s === '-0.00' ? '0.00' : s;
  }

  /** Two decimals with an explicit "+" for positive values. */
  function fmtSigned(x) {
    const s = fmt2(x);
    return isNum(x) && s !== '0.00' && x > 0 ? '+' + s : s;
  }

  /** Milliseconds into the call as m:ss (minutes are not wrapped into hours). */
  function fmtMs(ms) {
    if (!isNum(ms)) return '—';
    const total = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(total / 60) + ':' + String(total % 60).padStart(2, '0');
  }

  /** Local wall-clock time HH:MM:SS. */
  function fmtClock(epochMs) {
    if (!isNum(epochMs)) return '—';
    const d = new Date(epochMs);
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  /** A share 0..1 as a whole percentage; "—" when missing. */
  function fmtPct(x) {
    return isNum(x) ? Math.round(100 * x) + '%' : '—';
  }

  /** A duration: tenths of a second under a minute, m:ss above. */
  function fmtDuration(ms) {
    if (!isNum(ms)) return '—';
    return ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : fmtMs(ms);
  }

  /** "churn_risk" → "churn risk". */
  function categoryName(category) {
    return String(category).replace(/_/g, ' ');
  }

  /** A role name we have a colour and a CSS class for. */
  function knownRole(role) {
    const r = typeof role === 'string' ? role.toUpperCase() : '';
    return Object.prototype.hasOwnProperty.call(ROLE_COLORS, r) ? r : 'UNKNOWN';
  }

  function roleColor(role) {
    return ROLE_COLORS[knownRole(role)];
  }

  function roleRank(role) {
    const i = ROLE_ORDER.indexOf(knownRole(role));
    return i < 0 ? ROLE_ORDER.length : i;
  }

  function roleSpan(role, extraClass) {
    const name = role ? String(role) : 'UNKNOWN';
    return el('span', { class: 'role-name role-' + knownRole(name) + (extraClass ? ' ' + extraClass : ''), text: name });
  }

  function attentionLevel(call) {
    const a = call && isNum(call.attention) ? Math.round(call.attention) : 0;
    return clamp(a, 0, 2);
  }

  function stateName(call) {
    return STATE_NAMES[attentionLevel(call)];
  }

  function trendInfo(trend) {
    if (isNum(trend) && trend > 0.02) return { arrow: '▲', cls: 'trend-rising', word: 'rising' };
    if (isNum(trend) && trend < -0.02) return { arrow: '▼', cls: 'trend-falling', word: 'falling' };
    return { arrow: '→', cls: 'trend-steady', word: 'steady' };
  }

  /** Server ordering: attention desc, escalationScore desc, lastEventTimeMs desc (then callId, for stability). */
  function compareCalls(a, b) {
    const byAttention = attentionLevel(b) - attentionLevel(a);
    if (byAttention !== 0) return byAttention;
    const sa = isNum(a.escalationScore) ? a.escalationScore : 0;
    const sb = isNum(b.escalationScore) ? b.escalationScore : 0;
    if (sb !== sa) return sb - sa;
    const ta = isNum(a.lastEventTimeMs) ? a.lastEventTimeMs : 0;
    const tb = isNum(b.lastEventTimeMs) ? b.lastEventTimeMs : 0;
    if (tb !== ta) return tb - ta;
    return String(a.callId).localeCompare(String(b.callId));
  }

  /** A call has ended when every one of its channels has: the server says when. */
  function isEnded(call) {
    return isNum(call.endedAtMs);
  }

  /** A call update from the stream replaces what we hold unless it is older. */
  function isNotOlder(incoming, held) {
    if (!held) return true;
    if (!isNum(incoming.lastEventTimeMs) || !isNum(held.lastEventTimeMs)) return true;
    return incoming.lastEventTimeMs >= held.lastEventTimeMs;
  }

  function callHref(callId) {
    return 'call.html?id=' + encodeURIComponent(String(callId));
  }

  /** Text for a transcript, and whether it is the transcript itself. */
  function transcriptText(ev) {
    if (config.hideTranscripts) return { text: 'transcript hidden', present: false };
    switch (ev.transcriptStatus) {
      case 'PRESENT':
        if (typeof ev.transcript === 'string' && ev.transcript.trim() !== '') {
          return { text: '“' + ev.transcript + '”', present: true };
        }
        return { text: 'no transcript', present: false };
      case 'HIDDEN':
        return { text: 'transcript hidden', present: false };
      case 'OVERLOADED':
        return { text: 'no transcript (recognition overloaded)', present: false };
      case 'FAILED':
        return { text: 'no transcript (recognition failed)', present: false };
      case 'ASR_OFF':
        return { text: 'speech recognition off', present: false };
      default:
        if (typeof ev.transcript === 'string' && ev.transcript.trim() !== '') {
          return { text: '“' + ev.transcript + '”', present: true };
        }
        return { text: 'no transcript', present: false };
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Server access, notices, connection indicator
  // ---------------------------------------------------------------------------------------------------------

  class HttpError extends Error {
    constructor(status, url) {
      super('HTTP ' + status + ' for ' + url);
      this.status = status;
    }
  }

  async function getJson(url) {
    let response;
    try {
      response = await fetch(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' },
      });
    } catch (e) {
      throw new HttpError(0, url);
    }
    if (response.status === 401) {
      showAuthNeeded();
      throw new HttpError(401, url);
    }
    if (!response.ok) throw new HttpError(response.status, url);
    return response.json();
  }

  /** A blocking message (auth, unknown call); hides the page content. */
  function showNotice(text, kind) {
    const notice = $('notice');
    if (notice) {
      notice.textContent = text;
      notice.dataset.kind = kind;
      notice.className = 'notice notice-' + kind;
      notice.hidden = false;
    }
    const content = $('content');
    if (content) content.hidden = true;
  }

  function clearNotice() {
    const notice = $('notice');
    if (notice) {
      notice.hidden = true;
      notice.textContent = '';
      delete notice.dataset.kind;
    }
    const content = $('content');
    if (content) content.hidden = false;
  }

  /** A transient problem; the page keeps showing what it has. */
  function showError(text) {
    const banner = $('error');
    if (!banner) return;
    banner.textContent = text;
    banner.hidden = false;
  }

  function clearError() {
    const banner = $('error');
    if (!banner) return;
    banner.hidden = true;
    banner.textContent = '';
  }

  function showAuthNeeded() {
    if (authFailed) return;
    authFailed = true;
    clearError();
    showNotice(AUTH_MESSAGE, 'auth');
    setConnection('offline');
    if (stream) stream.close();
  }

  const CONNECTION_TEXT = {
    connecting: 'connecting…',
    live: 'live',
    reconnecting: 'reconnecting…',
    offline: 'offline',
  };

  function setConnection(state) {
    const node = $('connection');
    if (!node) return;
    node.textContent = CONNECTION_TEXT[state] || state;
    node.dataset.state = state;
    node.className = 'connection conn-' + state;
  }

  async function loadConfig() {
    try {
      const c = await getJson('/api/config');
      if (c && typeof c.title === 'string' && c.title.trim() !== '') config.title = c.title;
      config.hideTranscripts = Boolean(c && c.hideTranscripts);
      if (c && isNum(c.recentlyEnded) && c.recentlyEnded > 0) config.recentlyEnded = c.recentlyEnded;
    } catch (e) {
      // 401 is already shown; anything else: keep the defaults.
    }
    const title = $('title');
    if (title) title.textContent = config.title;
    const note = $('transcripts-note');
    if (note) note.textContent = config.hideTranscripts ? 'Transcripts are hidden on this dashboard.' : '';
  }

  /**
   * Server-Sent Events with a connection indicator. handlers: event type → function(parsed JSON).
   * onResync runs on every "open" that follows an error, so nothing sent while we were away is missed.
   * EventSource reconnects by itself; when it gives up (readyState CLOSED, e.g. on an HTTP error status) we
   * check the token and open a new one with a growing delay.
   */
  function openStream(handlers, onResync) {
    let source = null;
    let hadError = false;
    let closed = false;
    let retryDelay = 2000;
    let retryTimer = null;

    function connect() {
      if (closed || authFailed) return;
      source = new EventSource('/api/stream');
      source.addEventListener('open', () => {
        setConnection('live');
        retryDelay = 2000;
        if (hadError) {
          hadError = false;
          onResync();
        }
      });
      source.addEventListener('error', () => {
        if (closed || authFailed) return;
        hadError = true;
        setConnection('reconnecting');
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          scheduleReconnect();
        }
      });
      for (const [type, handler] of Object.entries(handlers)) {
        source.addEventListener(type, (message) => {
          let data;
          try {
            data = JSON.parse(message.data);
          } catch (e) {
            return; // not JSON: ignore
          }
          if (!data || typeof data !== 'object') return;
          try {
            handler(data);
          } catch (e) {
            console.error('dashboard: failed to apply a "' + type + '" event', e);
          }
        });
      }
    }

    function scheduleReconnect() {
      if (retryTimer !== null) return;
      retryTimer = setTimeout(async () => {
        retryTimer = null;
        try {
          await getJson('/api/config'); // a 401 here shows the token message and stops us
        } catch (e) {
          if (authFailed) return;
        }
        retryDelay = Math.min(retryDelay * 2, 30000);
        connect();
      }, retryDelay);
    }

    connect();
    return {
      close() {
        closed = true;
        if (retryTimer !== null) clearTimeout(retryTimer);
        if (source) source.close();
      },
    };
  }

  /**
   * Runs loads one at a time and holds stream events that arrive during a load, replaying them after it,
   * so a snapshot never overwrites what the stream said after it was taken.
   */
  function makeLoader(load) {
    let loading = false;
    let again = false;
    let retryTimer = null;
    const pending = [];

    async function run() {
      if (authFailed) return;
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        do {
          again = false;
          try {
            await load();
          } catch (e) {
            if (authFailed) return;
            showError('Could not load data from the server; retrying…');
            if (retryTimer === null) {
              retryTimer = setTimeout(() => {
                retryTimer = null;
                run();
              }, RETRY_MS);
            }
          }
        } while (again && !authFailed);
      } finally {
        loading = false;
        const queued = pending.splice(0);
        for (const fn of queued) {
          try {
            fn();
          } catch (e) {
            console.error('dashboard: failed to apply a queued event', e);
          }
        }
      }
    }

    /** Wraps a stream handler so it waits while a load is in flight. */
    function gate(handler) {
      return (data) => {
        if (loading) pending.push(() => handler(data));
        else handler(data);
      };
    }

    return { run, gate };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Shared pieces: escalation, state badge, roles table, sparkline
  // ---------------------------------------------------------------------------------------------------------

  function buildStateBadge(call) {
    const name = stateName(call);
    return el('span', { class: 'state state-' + name, text: name });
  }

  function buildEscalation(call) {
    const score = isNum(call.escalationScore) ? clamp(call.escalationScore, 0, 1) : 0;
    const trend = trendInfo(call.escalationTrend);
    const trendText = fmtSigned(call.escalationTrend) + '/min';
    const fill = el('span', { class: 'bar-fill' });
    fill.style.width = (score * 100).toFixed(1) + '%';
    return el('div', { class: 'escalation escalation-' + stateName(call) },
      el('span', { class: 'escalation-label', text: 'Escalation' }),
      el('span', {
        class: 'bar escalation-bar',
        role: 'meter',
        'aria-label': 'Escalation score',
        'aria-valuemin': '0',
        'aria-valuemax': '1',
        'aria-valuenow': score.toFixed(2),
      }, fill),
      el('span', { class: 'escalation-value', text: fmt2(call.escalationScore) }),
      el('span', {
        class: 'trend ' + trend.cls,
        title: trend.word + ', ' + trendText,
        'aria-label': trend.word,
        text: trend.arrow,
      }),
      el('span', { class: 'trend-value', title: 'change per minute', text: trendText }));
  }

  function describeCut(cut) {
    return String(cut.by) + ' cut in on ' + String(cut.of) + ' ×' + (isNum(cut.count) ? cut.count : 0);
  }

  function interruptionsOf(conversation) {
    return Array.isArray(conversation.interruptions) ? conversation.interruptions : [];
  }

  /** Over-talk, dead air and interruptions in one line: the conversation as the wallboard shows it. */
  function buildConversationLine(call) {
    const c = call.conversation;
    if (!c || typeof c !== 'object') return null;
    const cuts = interruptionsOf(c);
    const total = cuts.reduce((n, cut) => n + (isNum(cut.count) ? cut.count : 0), 0);
    return el('p', { class: 'conversation-line', title: 'Timing to ±' + c.resolutionMs + ' ms' },
      el('span', { class: 'conv-overtalk', title: fmtDuration(c.overTalkMs) + ' of over-talk', text: 'over-talk ' + fmtPct(c.overTalkShare) }),
      el('span', {
        class: 'conv-dead-air',
        title: fmtPct(c.deadAirShare) + ' of the call, longest ' + fmtDuration(c.longestDeadAirMs),
        text: 'dead air ' + fmtDuration(c.deadAirMs),
      }),
      el('span', {
        class: 'conv-interruptions',
        title: cuts.length ? cuts.map(describeCut).join('; ') : 'nobody cut in',
        text: plural(total, 'interruption'),
      }));
  }

  /** Phrase categories as chips; categories are rule names, never the caller's words. */
  function buildCategoryChips(categories, extraClass) {
    const list = Array.isArray(categories) ? categories : [];
    if (list.length === 0) return null;
    return el('span', { class: 'chips' + (extraClass ? ' ' + extraClass : '') },
      list.map((category) => el('span', { class: 'chip category-chip', dataset: { category: String(category) }, text: categoryName(category) })));
  }

  /** The call page's conversation panel: over-talk, dead air, interruptions, talk ratio and speaking rates. */
  function buildConversationPanel(call) {
    const c = call.conversation;
    if (!c || typeof c !== 'object') return el('p', { class: 'empty', text: 'No utterances yet.' });
    const roles = sortedRoles(call.roles);
    const cuts = interruptionsOf(c);
    const rates = roles.filter((r) => isNum(r.speakingRate)).map((r) => String(r.role) + ' ' + r.speakingRate.toFixed(1)
      + ' syl/s' + (isNum(r.usualSpeakingRate) ? ' (usual ' + r.usualSpeakingRate.toFixed(1) + ')' : ''));
    const rows = [
      ['Over-talk', 'conv-overtalk', fmtDuration(c.overTalkMs) + ' · ' + fmtPct(c.overTalkShare) + ' of the time anyone spoke'],
      ['Dead air', 'conv-dead-air', fmtDuration(c.deadAirMs) + ' · ' + fmtPct(c.deadAirShare) + ' of the call · longest '
        + fmtDuration(c.longestDeadAirMs)],
      ['Interruptions', 'conv-interruptions', cuts.length ? cuts.map(describeCut).join(' · ') : 'none'],
      ['Talk ratio', 'conv-talk', roles.map((r) => String(r.role) + ' ' + fmtPct(r.talkShare)).join(' · ') || '—'],
      ['Speaking rate', 'conv-rate', rates.join(' · ') || 'not measured'],
    ];
    return el('div', null,
      el('table', { class: 'conversation' }, el('tbody', null, rows.map(([name, cls, text]) => el('tr', { class: cls },
        el('th', { scope: 'row', text: name }), el('td', { text }))))),
      el('p', {
        class: 'conversation-resolution',
        text: 'From the utterances of each channel; timing to ±' + c.resolutionMs + ' ms (voice-activity frames and utterance padding).',
      }));
  }

  /** What the page says when a policy withholds a role's emotion. */
  function policyText(call) {
    const roles = sortedRoles(call.roles).filter((r) => r.emotionWithheld).map((r) => String(r.role));
    if (roles.length === 0) return '';
    const policies = Array.isArray(call.emotionPolicies) ? call.emotionPolicies.map(String) : [];
    return 'Emotion is not analysed for ' + roles.join(', ') + (policies.length ? ' (policy: ' + policies.join('; ') + ')' : ' (policy)')
      + ': their label, arousal and valence are not inferred.';
  }

  /** y for a value in −1..1 inside [top, top + height]. */
  function yOf(value, top, height) {
    return top + ((1 - clamp(value, -1, 1)) / 2) * height;
  }

  /** Points of a sparkline, right-aligned in SPARK_SLOTS slots so a short history looks short. */
  function sparkPoints(values, width, height, pad) {
    const list = (Array.isArray(values) ? values : []).filter(isNum).slice(-SPARK_SLOTS);
    const step = width / (SPARK_SLOTS - 1);
    if (list.length === 1) {
      const y = yOf(list[0], pad, height - 2 * pad).toFixed(2);
      return (width - step).toFixed(2) + ',' + y + ' ' + width.toFixed(2) + ',' + y;
    }
    return list.map((v, i) => {
      const x = width - (list.length - 1 - i) * step;
      return x.toFixed(2) + ',' + yOf(v, pad, height - 2 * pad).toFixed(2);
    }).join(' ');
  }

  function buildSparkline(role) {
    const W = 100;
    const H = 30;
    const pad = 2;
    const color = roleColor(role.role);
    const arousal = sparkPoints(role.recentArousal, W, H, pad);
    const valence = sparkPoints(role.recentValence, W, H, pad);
    const count = Array.isArray(role.recentArousal) ? role.recentArousal.length : 0;
    const spark = svgEl('svg', {
      class: 'sparkline',
      viewBox: '0 0 ' + W + ' ' + H,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': 'Arousal (solid) and valence (dashed) of the last ' + plural(count, 'utterance'),
    });
    spark.append(svgEl('title', { text: 'Arousal (solid) and valence (dashed), last ' + plural(count, 'utterance') }));
    spark.append(svgEl('line', {
      class: 'spark-zero', x1: 0, y1: H / 2, x2: W, y2: H / 2, 'vector-effect': 'non-scaling-stroke',
    }));
    if (valence) {
      spark.append(svgEl('polyline', {
        class: 'spark-valence', points: valence, fill: 'none', stroke: color,
        'stroke-dasharray': '3 2', 'vector-effect': 'non-scaling-stroke',
      }));
    }
    if (arousal) {
      spark.append(svgEl('polyline', {
        class: 'spark-arousal', points: arousal, fill: 'none', stroke: color,
        'vector-effect': 'non-scaling-stroke',
      }));
    }
    return spark;
  }

  function sortedRoles(roles) {
    return (Array.isArray(roles) ? roles.slice() : []).sort((a, b) => roleRank(a.role) - roleRank(b.role)
      || String(a.role).localeCompare(String(b.role)));
  }

  function buildRolesTable(roles) {
    const list = sortedRoles(roles);
    if (list.length === 0) return el('p', { class: 'empty roles-empty', text: 'No speakers yet.' });
    const head = el('thead', null, el('tr', null,
      el('th', { scope: 'col', text: 'Role' }),
      el('th', { scope: 'col', text: 'Now' }),
      el('th', { scope: 'col', class: 'num', text: 'Arousal' }),
      el('th', { scope: 'col', class: 'num', text: 'Valence' }),
      el('th', { scope: 'col', class: 'num', text: 'Talk' }),
      el('th', { scope: 'col', class: 'spark-col', text: 'Recent' })));
    const body = el('tbody');
    for (const role of list) {
      const name = role.role ? String(role.role) : 'UNKNOWN';
      const utterances = isNum(role.utterances) ? role.utterances : 0;
      const label = role.emotionWithheld
        ? el('td', { class: 'role-label role-withheld', title: 'emotion not analysed (policy)', text: 'not analysed (policy)' })
        : el('td', { class: 'role-label' + (role.currentLabel ? '' : ' none'), text: role.currentLabel || '—' });
      body.append(el('tr', { class: 'role-row', dataset: { role: name } },
        el('th', { scope: 'row', class: 'role-cell', title: plural(utterances, 'utterance') }, roleSpan(name)),
        label,
        el('td', { class: 'num role-arousal', text: fmt2(role.arousal) }),
        el('td', { class: 'num role-valence', text: fmt2(role.valence) }),
        el('td', { class: 'num role-talk', title: 'talk time, ' + fmtPct(role.talkShare) + ' of the call\'s talk', text: fmtMs(role.talkTimeMs) }),
        el('td', { class: 'spark-col' }, buildSparkline(role))));
    }
    return el('table', { class: 'roles' }, head, body);
  }

  function buildCallMeta(call) {
    const parts = [];
    if (call.source) parts.push(el('span', { class: 'call-source', title: 'source', text: String(call.source) }));
    const n = isNum(call.utterances) ? call.utterances : 0;
    parts.push(el('span', { class: 'call-utterances', text: plural(n, 'utterance') }));
    if (isNum(call.openAlerts) && call.openAlerts > 0) {
      parts.push(el('span', { class: 'call-alerts', text: plural(call.openAlerts, 'alert') }));
    }
    if (isNum(call.lastEventTimeMs)) {
      parts.push(el('span', { class: 'call-last', text: 'last event ' + fmtClock(call.lastEventTimeMs) }));
    }
    if (isEnded(call)) {
      parts.push(el('span', { class: 'call-ended', text: 'ended ' + fmtClock(call.endedAtMs) }));
    }
    return parts;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Wallboard
  // ---------------------------------------------------------------------------------------------------------

  function wallboardPage() {
    const section = $('calls');
    const aside = $('alerts');
    const callsEmpty = $('calls-empty');
    const alertsEmpty = $('alerts-empty');
    const calls = new Map(); // callId → CallView, live calls only
    const cards = new Map(); // callId → <article>
    const ended = new Map(); // callId → CallView of a call that has ended
    const endedRows = new Map(); // callId → <tr>
    const alertNodes = new Map(); // alertId → <div>
    let loadedOnce = false;
    let orderQueued = false;

    function renderCard(call) {
      let card = cards.get(call.callId);
      if (!card) {
        card = el('article');
        cards.set(call.callId, card);
      }
      const state = stateName(call);
      card.className = 'call call-' + state;
      card.dataset.callId = String(call.callId);
      card.dataset.attention = String(attentionLevel(call));
      card.replaceChildren(
        el('div', { class: 'call-head' },
          el('h3', { class: 'call-title' },
            el('a', { class: 'call-link', href: callHref(call.callId), text: String(call.callId) })),
          buildStateBadge(call)),
        el('p', { class: 'call-meta' }, buildCallMeta(call)),
        buildEscalation(call),
        buildConversationLine(call),
        buildCategoryChips(call.categories, 'call-categories'),
        buildRolesTable(call.roles));
      return card;
    }

    /** An utterance's phrase categories reach its live card at once, not only with the call's next summary. */
    function onUtterance(ev) {
      const call = ev ? calls.get(ev.callId) : null;
      const hits = Array.isArray(ev && ev.phrases) ? ev.phrases : [];
      if (!call || hits.length === 0) return;
      const latest = hits.map((hit) => String(hit.category));
      call.categories = [...new Set([...latest, ...(Array.isArray(call.categories) ? call.categories : [])])].slice(0, 4);
      renderCard(call);
    }

    /** Puts the cards in attention order, moving only those out of place. */
    function orderCards() {
      orderQueued = false;
      const sorted = [...calls.values()].sort(compareCalls);
      let prev = callsEmpty;
      for (const call of sorted) {
        const card = cards.get(call.callId);
        if (prev.nextElementSibling !== card) section.insertBefore(card, prev.nextSibling);
        prev = card;
      }
      const n = calls.size;
      callsEmpty.hidden = n > 0;
      if (n === 0) callsEmpty.textContent = loadedOnce ? NO_CALLS : 'Loading calls…';
      const count = $('call-count');
      if (count) count.textContent = plural(n, 'live call');
    }

    function renderEndedRow(call) {
      let row = endedRows.get(call.callId);
      if (!row) {
        row = el('tr');
        endedRows.set(call.callId, row);
      }
      const state = stateName(call);
      row.className = 'ended-call call-' + state;
      row.dataset.callId = String(call.callId);
      const time = el('time', { text: fmtClock(call.endedAtMs) });
      time.dateTime = new Date(call.endedAtMs).toISOString();
      row.replaceChildren(
        el('th', { scope: 'row' }, el('a', { class: 'call-link', href: callHref(call.callId), text: String(call.callId) })),
        el('td', null, time),
        el('td', null, buildStateBadge(call)),
        el('td', { class: 'num', text: fmt2(call.escalationScore) }),
        el('td', { class: 'num', text: String(isNum(call.utterances) ? call.utterances : 0) }),
        el('td', { class: 'ended-source', text: call.source ? String(call.source) : '' }));
    }

    /** The most recently ended first, as many as the server lists. */
    function orderEnded() {
      const sorted = [...ended.values()].sort((a, b) => b.endedAtMs - a.endedAtMs
        || String(a.callId).localeCompare(String(b.callId)));
      for (const old of sorted.slice(config.recentlyEnded)) {
        ended.delete(old.callId);
        const row = endedRows.get(old.callId);
        if (row) row.remove();
        endedRows.delete(old.callId);
      }
      const body = $('ended-body');
      for (const call of sorted.slice(0, config.recentlyEnded)) body.append(endedRows.get(call.callId));
      $('ended-table').hidden = ended.size === 0;
      $('ended-empty').hidden = ended.size > 0;
      $('ended-count').textContent = '(' + ended.size + ')';
    }

    function dropLive(callId) {
      const card = cards.get(callId);
      if (card) card.remove();
      cards.delete(callId);
      calls.delete(callId);
    }

    function dropEnded(callId) {
      const row = endedRows.get(callId);
      if (row) row.remove();
      endedRows.delete(callId);
      ended.delete(callId);
    }

    function queueOrder() {
      if (orderQueued) return;
      orderQueued = true;
      requestAnimationFrame(orderCards);
    }

    /** A call's new state: a live call's card is redrawn; a call that has ended leaves the cards for the ended list. */
    function upsertCall(call) {
      if (!call || call.callId === undefined || call.callId === null) return;
      if (!isNotOlder(call, calls.get(call.callId) || ended.get(call.callId))) return;
      if (isEnded(call)) {
        dropLive(call.callId);
        ended.set(call.callId, call);
        renderEndedRow(call);
        orderEnded();
      } else {
        dropEnded(call.callId);
        calls.set(call.callId, call);
        renderCard(call);
      }
      queueOrder();
    }

    function replaceCalls(list, endedList) {
      const keep = new Set(list.map((c) => c.callId));
      for (const id of [...cards.keys()]) {
        if (!keep.has(id)) dropLive(id);
      }
      for (const id of [...endedRows.keys()]) dropEnded(id);
      for (const call of list) {
        if (call && call.callId !== undefined && call.callId !== null) {
          calls.set(call.callId, call);
          renderCard(call);
        }
      }
      for (const call of endedList) {
        if (call && call.callId !== undefined && call.callId !== null && isEnded(call) && !calls.has(call.callId)) {
          ended.set(call.callId, call);
          renderEndedRow(call);
        }
      }
      orderEnded();
      orderCards();
    }

    function renderAlert(alert, node) {
      const severity = String(alert.severity || 'INFO').toLowerCase().replace(/[^a-z0-9-]/g, '');
      node.className = 'alert severity-' + severity;
      node.dataset.alertId = String(alert.alertId);
      const time = el('time', { class: 'alert-time', text: fmtClock(alert.raisedAtMs) });
      if (isNum(alert.raisedAtMs)) time.dateTime = new Date(alert.raisedAtMs).toISOString();
      const head = el('div', { class: 'alert-head' },
        time,
        el('span', { class: 'alert-severity', text: String(alert.severity || 'INFO') }),
        alert.callId !== undefined && alert.callId !== null
          ? el('a', { class: 'alert-call', href: callHref(alert.callId), text: String(alert.callId) })
          : null,
        alert.role ? roleSpan(alert.role, 'alert-role') : null);
      const children = [head, el('p', { class: 'alert-message', text: String(alert.message || alert.rule || '') })];
      const evidence = Array.isArray(alert.evidence) ? alert.evidence : [];
      if (evidence.length > 0) {
        const items = evidence.map((e) => {
          const item = el('li', { class: 'evidence', dataset: e.utteranceId ? { utteranceId: String(e.utteranceId) } : null },
            el('div', { class: 'evidence-head' },
              el('span', { class: 'evidence-label', text: e.label ? String(e.label) : (isNum(e.arousal) ? '—' : 'emotion not analysed') }),
              isNum(e.arousal) ? el('span', { class: 'evidence-av', text: 'arousal ' + fmt2(e.arousal) + ' · valence ' + fmt2(e.valence) }) : null,
              buildCategoryChips(e.phrases)));
          if (e.rationale) item.append(el('p', { class: 'evidence-rationale', text: String(e.rationale) }));
          if (e.transcriptSnippet !== null && e.transcriptSnippet !== undefined && !config.hideTranscripts) {
            item.append(el('p', { class: 'evidence-transcript', text: '“' + String(e.transcriptSnippet) + '”' }));
          }
          return item;
        });
        const wasOpen = node.querySelector('details.alert-evidence');
        const details = el('details', { class: 'alert-evidence', open: Boolean(wasOpen && wasOpen.open) },
          el('summary', { text: 'Evidence (' + evidence.length + ')' }),
          el('ul', { class: 'evidence-list' }, items));
        children.push(details);
      }
      node.replaceChildren(...children);
      return node;
    }

    function trimAlerts() {
      const nodes = aside.querySelectorAll(':scope > .alert');
      for (let i = MAX_ALERTS; i < nodes.length; i++) {
        alertNodes.delete(nodes[i].dataset.alertId);
        nodes[i].remove();
      }
      alertsEmpty.textContent = NO_ALERTS;
      alertsEmpty.hidden = alertNodes.size > 0;
    }

    function prependAlert(alert) {
      if (!alert || alert.alertId === undefined || alert.alertId === null) return;
      const id = String(alert.alertId);
      const existing = alertNodes.get(id);
      if (existing) {
        renderAlert(alert, existing);
        return;
      }
      const node = renderAlert(alert, el('div'));
      alertNodes.set(id, node);
      alertsEmpty.after(node);
      trimAlerts();
    }

    function replaceAlerts(list) {
      const wanted = list.filter((a) => a && a.alertId !== undefined && a.alertId !== null).slice(0, MAX_ALERTS);
      const keep = new Set(wanted.map((a) => String(a.alertId)));
      for (const [id, node] of alertNodes) {
        if (!keep.has(id)) {
          node.remove();
          alertNodes.delete(id);
        }
      }
      let prev = alertsEmpty;
      for (const alert of wanted) {
        const id = String(alert.alertId);
        let node = alertNodes.get(id);
        node = renderAlert(alert, node || el('div'));
        alertNodes.set(id, node);
        if (prev.nextElementSibling !== node) prev.after(node);
        prev = node;
      }
      trimAlerts();
    }

    // Agents and series: one row per group, its 15-minute and one-hour windows side by side.
    const groupRows = new Map();

    function groupCells(window, withheld) {
      if (!window) return [el('td', { class: 'num', text: '—' }), el('td'), el('td'), el('td')];
      if (withheld) {
        return [
          el('td', { class: 'num', text: String(window.utterances) }),
          el('td', { class: 'group-withheld', colspan: '3', title: 'emotion not analysed (policy)', text: 'not analysed (policy)' }),
        ];
      }
      return [
        el('td', { class: 'num', text: String(window.utterances) }),
        el('td', { class: 'num', text: fmt2(window.arousal) }),
        el('td', { class: 'num', text: fmt2(window.valence) }),
        el('td', { class: 'num', text: Math.round(100 * window.negativeShare) + '%' }),
      ];
    }

    function upsertGroup(group) {
      if (!group || !group.key) return;
      const windows = group.windows || {};
      const row = el('tr', { class: 'group group-' + String(group.kind).toLowerCase(), 'data-group': group.key },
        el('th', { scope: 'row' },
          el('span', { class: 'group-kind', text: group.kind === 'AGENT' ? 'agent' : 'series' }), ' ',
          el('span', { class: 'group-name', text: String(group.name) })),
        ...groupCells(windows['15'], group.emotionWithheld), ...groupCells(windows['60'], group.emotionWithheld));
      const held = groupRows.get(group.key);
      if (held) {
        held.replaceWith(row);
      } else {
        const body = $('groups-body');
        const after = [...groupRows.keys()].filter((k) => k < group.key).sort().pop();
        if (after) groupRows.get(after).after(row); else body.prepend(row);
      }
      groupRows.set(group.key, row);
      $('groups-table').hidden = false;
      $('groups-empty').hidden = true;
    }

    function replaceGroups(list) {
      groupRows.forEach((row) => row.remove());
      groupRows.clear();
      list.forEach(upsertGroup);
      $('groups-table').hidden = groupRows.size === 0;
      $('groups-empty').hidden = groupRows.size > 0;
    }

    const loader = makeLoader(async () => {
      const [c, a, g] = await Promise.all([getJson('/api/calls'), getJson('/api/alerts'), getJson('/api/groups')]);
      loadedOnce = true;
      replaceCalls(Array.isArray(c && c.calls) ? c.calls : [], Array.isArray(c && c.ended) ? c.ended : []);
      replaceAlerts(Array.isArray(a && a.alerts) ? a.alerts : []);
      replaceGroups(Array.isArray(g && g.groups) ? g.groups : []);
      clearError();
    });

    return { loader, upsertCall, prependAlert, upsertGroup, onUtterance };
  }

  async function wallboard() {
    if (wallboard.started) return;
    wallboard.started = true;
    document.title = 'emostream';
    await loadConfig();
    document.title = config.title;
    if (authFailed) return;
    const page = wallboardPage();
    stream = openStream({
      call: page.loader.gate(page.upsertCall),
      alert: page.loader.gate(page.prependAlert),
      group: page.loader.gate(page.upsertGroup),
      utterance: page.loader.gate(page.onUtterance),
    }, page.loader.run);
    await page.loader.run();
    // Calls expire on the server without an event; a quiet resync drops them.
    setInterval(() => {
      if (!authFailed && !document.hidden) page.loader.run();
    }, RESYNC_INTERVAL_MS);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Call page
  // ---------------------------------------------------------------------------------------------------------

  /** Chooses a tick step (ms) giving at most maxTicks intervals over spanMs. */
  function niceStep(spanMs, maxTicks) {
    const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
    for (const s of steps) {
      if (spanMs / (s * 1000) <= maxTicks) return s * 1000;
    }
    return Math.ceil(spanMs / maxTicks / 3600000) * 3600000;
  }

  function midpoint(ev) {
    const start = isNum(ev.startMs) ? ev.startMs : 0;
    const end = isNum(ev.endMs) ? ev.endMs : start;
    return (start + end) / 2;
  }

  function drawChart(host, events, call) {
    const width = Math.max(300, Math.floor(host.clientWidth || 800));
    const height = width < 640 ? 240 : 320;
    const m = { top: 14, right: 18, bottom: 32, left: 46 };
    const pw = width - m.left - m.right;
    const ph = height - m.top - m.bottom;

    let rawMax = 0;
    for (const ev of events) {
      const end = isNum(ev.endMs) ? ev.endMs : (isNum(ev.startMs) ? ev.startMs : 0);
      if (end > rawMax) rawMax = end;
    }
    rawMax = Math.max(rawMax, 10000);
    const step = niceStep(rawMax, Math.max(2, Math.floor(pw / 80)));
    const maxMs = Math.ceil(rawMax / step) * step;
    const xOf = (ms) => m.left + (clamp(ms, 0, maxMs) / maxMs) * pw;
    const y = (v) => yOf(v, m.top, ph);

    const chart = svgEl('svg', {
      class: 'timeline',
      width, height,
      viewBox: '0 0 ' + width + ' ' + height,
      role: 'img',
      'aria-label': 'Arousal (solid lines) and valence (dashed lines) per role over time into the call, '
        + 'scale −1 to 1, ' + plural(events.length, 'utterance') + '.',
    });

    // Grid and axes
    const grid = svgEl('g', { class: 'chart-grid' });
    for (const v of [1, 0.5, 0, -0.5, -1]) {
      grid.append(svgEl('line', {
        class: v === 0 ? 'grid-line zero-line' : 'grid-line',
        x1: m.left, x2: m.left + pw, y1: y(v), y2: y(v),
      }));
      grid.append(svgEl('text', {
        class: 'axis-label', x: m.left - 8, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle',
        text: v === 0 ? '0' : (v > 0 ? '+' : '−') + String(Math.abs(v)),
      }));
    }
    for (let t = 0; t <= maxMs + 1; t += step) {
      const x = xOf(t);
      grid.append(svgEl('line', { class: 'grid-line grid-x', x1: x, x2: x, y1: m.top, y2: m.top + ph }));
      grid.append(svgEl('text', {
        class: 'axis-label', x, y: m.top + ph + 18, 'text-anchor': 'middle', text: fmtMs(t),
      }));
    }
    chart.append(grid);

    // Series per role
    const byRole = new Map();
    for (const ev of events) {
      const role = ev.role ? String(ev.role) : 'UNKNOWN';
      if (!byRole.has(role)) byRole.set(role, []);
      byRole.get(role).push(ev);
    }
    const roles = [...byRole.keys()].sort((a, b) => roleRank(a) - roleRank(b) || a.localeCompare(b));
    const markers = events.length <= 600;
    for (const role of roles) {
      const color = roleColor(role);
      const list = byRole.get(role).slice().sort((a, b) => midpoint(a) - midpoint(b));
      const group = svgEl('g', { class: 'series role-' + knownRole(role), 'data-role': role });
      for (const [field, cls] of [['valence', 'line-valence'], ['arousal', 'line-arousal']]) {
        const pts = list.filter((ev) => isNum(ev[field]))
          .map((ev) => xOf(midpoint(ev)).toFixed(1) + ',' + y(ev[field]).toFixed(1));
        if (pts.length > 1) {
          group.append(svgEl('polyline', {
            class: cls, points: pts.join(' '), fill: 'none', stroke: color,
            'stroke-width': field === 'arousal' ? 2.25 : 2,
            'stroke-dasharray': field === 'valence' ? '6 4' : null,
            'stroke-linejoin': 'round', 'stroke-linecap': 'round',
          }));
        }
      }
      if (markers) {
        for (const ev of list) {
          const tip = fmtMs(ev.startMs) + '–' + fmtMs(ev.endMs) + ' ' + role + ' ' + (ev.label || '')
            + ': arousal ' + fmt2(ev.arousal) + ', valence ' + fmt2(ev.valence);
          const x = xOf(midpoint(ev));
          if (isNum(ev.valence)) {
            group.append(svgEl('circle', {
              class: 'point-valence', cx: x.toFixed(1), cy: y(ev.valence).toFixed(1), r: 2.75,
              fill: '#ffffff', stroke: color, 'stroke-width': 1.5,
            }, svgEl('title', { text: tip })));
          }
          if (isNum(ev.arousal)) {
            group.append(svgEl('circle', {
              class: 'point-arousal', cx: x.toFixed(1), cy: y(ev.arousal).toFixed(1), r: 3, fill: color,
            }, svgEl('title', { text: tip })));
          }
        }
      }
      chart.append(group);
    }

    if (events.length === 0) {
      chart.append(svgEl('text', {
        class: 'chart-empty', x: m.left + pw / 2, y: m.top + ph / 2 - 12, 'text-anchor': 'middle',
        text: 'Waiting for utterances…',
      }));
    }

    // Legend: every role that has utterances, else the roles of the call
    let legendRoles = roles;
    if (legendRoles.length === 0 && call) legendRoles = sortedRoles(call.roles).map((r) => String(r.role || 'UNKNOWN'));
    const legend = el('div', { class: 'chart-legend' });
    for (const role of legendRoles) {
      const color = roleColor(role);
      const solid = el('span', { class: 'swatch swatch-solid' });
      solid.style.borderTopColor = color;
      const dashed = el('span', { class: 'swatch swatch-dashed' });
      dashed.style.borderTopColor = color;
      legend.append(el('span', { class: 'legend-item', dataset: { role } },
        roleSpan(role),
        el('span', { class: 'legend-part' }, solid, 'arousal'),
        el('span', { class: 'legend-part' }, dashed, 'valence')));
    }
    legend.append(el('span', { class: 'legend-axes', text: 'x: time into the call (m:ss) · y: −1 to +1' }));
    host.replaceChildren(chart, legend);
  }

  function buildScores(ev) {
    const scores = ev.scores && typeof ev.scores === 'object' ? ev.scores : {};
    const entries = Object.entries(scores).filter(([, v]) => isNum(v)).sort((a, b) => b[1] - a[1]);
    if (entries.length === 0) return null;
    const rows = entries.map(([label, value]) => {
      const fill = el('span', { class: 'bar-fill' });
      fill.style.width = (clamp(value, 0, 1) * 100).toFixed(1) + '%';
      return el('li', { class: 'score-row' + (label === ev.label ? ' score-top' : ''), dataset: { label } },
        el('span', { class: 'score-name', text: label }),
        el('span', { class: 'bar score-bar', 'aria-hidden': 'true' }, fill),
        el('span', { class: 'score-value', text: fmt2(value) }));
    });
    return el('ul', { class: 'scores', 'aria-label': 'Scores per label' }, rows);
  }

  function buildCues(ev) {
    const cues = Array.isArray(ev.cues) ? ev.cues : [];
    if (cues.length === 0) return null;
    const rows = cues.map((c) => el('tr', null,
      el('th', { scope: 'row', text: c.name ? String(c.name) : '—' }),
      el('td', { class: 'num', text: fmt2(c.value) + (c.unit ? ' ' + c.unit : '') }),
      el('td', { class: 'num', text: isNum(c.zScore) ? 'z ' + fmtSigned(c.zScore) : '' })));
    return el('details', { class: 'cues' },
      el('summary', { text: 'Measured cues (' + cues.length + ')' }),
      el('table', { class: 'cue-table' }, el('tbody', null, rows)));
  }

  /** The label as the page says it: withheld by a policy, unsure between the two likeliest, or the label. */
  function buildLabel(ev) {
    if (ev.emotionWithheld !== null && ev.emotionWithheld !== undefined) {
      return el('span', { class: 'utt-label utt-withheld', title: String(ev.emotionWithheld), text: 'emotion not analysed (policy)' });
    }
    if (ev.uncertain) {
      const scores = ev.scores && typeof ev.scores === 'object' ? ev.scores : {};
      const top = Object.entries(scores).filter(([, v]) => isNum(v)).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([l]) => l);
      const either = top.length === 2 ? top : [ev.label ? String(ev.label) : '—'];
      return el('span', { class: 'utt-label utt-unsure', title: 'the cues cannot tell these apart', text: 'unsure: ' + either.join(' or ') });
    }
    return el('span', { class: 'utt-label', text: ev.label ? String(ev.label) : '—' });
  }

  /** The phrase rules the utterance matched: each category a chip, its rule (and the words, unless hidden) on hover. */
  function buildPhrases(ev) {
    const hits = Array.isArray(ev.phrases) ? ev.phrases : [];
    if (hits.length === 0) return null;
    return el('p', { class: 'chips utt-phrases' }, hits.map((hit) => {
      const severity = hit.severity ? String(hit.severity).toLowerCase().replace(/[^a-z]/g, '') : '';
      return el('span', {
        class: 'chip category-chip' + (severity ? ' chip-' + severity : ''),
        dataset: { category: String(hit.category) },
        title: 'rule ' + String(hit.rule) + (typeof hit.text === 'string' && !config.hideTranscripts ? ': “' + hit.text + '”' : ''),
        text: categoryName(hit.category),
      });
    }));
  }

  /** Words and voice that disagree, both sides named. */
  function buildMismatch(ev) {
    const m = ev.mismatch;
    if (!m || typeof m !== 'object') return null;
    return el('p', { class: 'mismatch', title: 'the words and the voice disagree' },
      el('span', { class: 'mismatch-words', text: 'words: ' + String(m.words) }),
      ' / ',
      el('span', { class: 'mismatch-voice', text: 'voice: ' + String(m.voice) }));
  }

  function buildUtterance(ev) {
    const role = ev.role ? String(ev.role) : 'UNKNOWN';
    const transcript = transcriptText(ev);
    const withheld = ev.emotionWithheld !== null && ev.emotionWithheld !== undefined;
    const li = el('li', {
      class: 'utterance role-' + knownRole(role) + (withheld ? ' utterance-withheld' : '') + (ev.uncertain ? ' utterance-unsure' : ''),
      dataset: { utteranceId: String(ev.utteranceId), role },
    });
    li.style.borderLeftColor = roleColor(role);
    li.append(
      el('div', { class: 'utt-head' },
        el('span', { class: 'utt-time', text: fmtMs(ev.startMs) + '–' + fmtMs(ev.endMs) }),
        roleSpan(role),
        buildLabel(ev),
        withheld ? null : el('span', { class: 'utt-confidence', title: 'confidence', text: 'confidence ' + fmt2(ev.confidence) }),
        withheld ? null : el('span', { class: 'utt-av', text: 'arousal ' + fmt2(ev.arousal) + ' · valence ' + fmt2(ev.valence) })),
      el('div', { class: 'utt-body' },
        buildScores(ev),
        el('div', { class: 'utt-text' },
          buildPhrases(ev),
          buildMismatch(ev),
          ev.rationale ? el('p', { class: 'rationale', text: String(ev.rationale) }) : null,
          buildContradictions(ev),
          buildProvenance(ev),
          el('p', {
            class: 'transcript ' + (transcript.present ? 'transcript-present' : 'transcript-missing'),
            text: transcript.text,
          }),
          buildCues(ev))));
    return li;
  }

  /** The rationale's claims about how it sounded that the measured cues contradict. */
  function buildContradictions(ev) {
    const claims = Array.isArray(ev.rationaleContradictions) ? ev.rationaleContradictions : [];
    if (claims.length === 0) return null;
    return el('p', {
      class: 'rationale-contradictions',
      text: 'Not borne out by the measurements: ' + claims.map(String).join('; '),
    });
  }

  const SPEECHLM_FALLBACKS = {
    TIMED_OUT: 'did not answer in time',
    FAILED: 'failed',
    INVALID_ANSWER: 'gave an unusable answer',
    CIRCUIT_OPEN: 'was not asked (circuit open after failures)',
    OVER_BUDGET: 'was not asked (request budget spent)',
    BUSY: 'was not asked (too many requests in flight)',
  };

  /** Who labelled the utterance when the cascade asked the SpeechLM: its answer, or why the local result stands. */
  function buildProvenance(ev) {
    const lm = ev.speechLm;
    if (!lm || typeof lm !== 'object') return null;
    const status = String(lm.status);
    if (status === 'ANSWERED') {
      const differs = lm.localLabel && String(lm.localLabel) !== String(ev.label);
      return el('p', {
        class: 'provenance speechlm-answered',
        text: 'Label and rationale by ' + String(lm.model)
          + (differs ? ' (the local model said ' + String(lm.localLabel) + ')' : ''),
      });
    }
    return el('p', {
      class: 'provenance speechlm-fallback',
      title: lm.detail ? String(lm.detail) : null,
      text: 'SpeechLM ' + (SPEECHLM_FALLBACKS[status] || status.toLowerCase())
        + ': showing the local model\'s result',
    });
  }

  function callPageView(callId) {
    const list = $('utterances');
    const empty = $('utterances-empty');
    const chartHost = $('chart');
    let call = null;
    let loaded = false;
    const events = []; // in stream order (startMs)
    const items = new Map(); // utteranceId → <li>
    let chartQueued = false;

    function renderHeader() {
      if (!call) return;
      $('call-id').textContent = String(call.callId);
      $('call-state').replaceChildren(buildStateBadge(call));
      $('call-meta').replaceChildren(...buildCallMeta(call));
      $('call-escalation').replaceChildren(buildEscalation(call));
      $('call-roles').replaceChildren(buildRolesTable(call.roles));
      $('conversation').replaceChildren(buildConversationPanel(call));
      const policy = policyText(call);
      $('policy').textContent = policy;
      $('policy').hidden = policy === '';
      $('call-header').className = 'call-summary call-' + stateName(call);
      document.title = String(call.callId) + ' – ' + config.title;
    }

    function queueChart() {
      if (chartQueued) return;
      chartQueued = true;
      requestAnimationFrame(() => {
        chartQueued = false;
        if (loaded) drawChart(chartHost, events, call);
      });
    }

    function updateEmpty() {
      empty.textContent = 'No utterances yet.';
      empty.hidden = events.length > 0;
    }

    /** Inserts an event keeping stream order by startMs (equal startMs: arrival order). */
    function insertEvent(ev) {
      if (!ev || ev.utteranceId === undefined || ev.utteranceId === null) return false;
      const id = String(ev.utteranceId);
      if (items.has(id)) return false;
      const start = isNum(ev.startMs) ? ev.startMs : 0;
      let i = events.length;
      while (i > 0 && (isNum(events[i - 1].startMs) ? events[i - 1].startMs : 0) > start) i--;
      const li = buildUtterance(ev);
      const before = i < events.length ? items.get(String(events[i].utteranceId)) : null;
      events.splice(i, 0, ev);
      items.set(id, li);
      list.insertBefore(li, before || null);
      return true;
    }

    function clearAll() {
      events.length = 0;
      items.clear();
      list.replaceChildren();
      chartHost.replaceChildren();
    }

    function onCall(update) {
      if (String(update.callId) !== callId) return;
      if (!loaded) {
        loader.run(); // the call has (re)appeared: load it with its utterances
        return;
      }
      if (!isNotOlder(update, call)) return;
      call = update;
      renderHeader();
    }

    function onUtterance(ev) {
      if (String(ev.callId) !== callId || !loaded) return;
      const doc = document.documentElement;
      // Follow new utterances only when the reader has scrolled down to the end of the list.
      const atBottom = window.scrollY > 0 && window.innerHeight + window.scrollY >= doc.scrollHeight - 80;
      if (insertEvent(ev)) {
        updateEmpty();
        queueChart();
        if (atBottom && doc.scrollHeight > window.innerHeight) {
          requestAnimationFrame(() => window.scrollTo(0, doc.scrollHeight));
        }
      }
    }

    const loader = makeLoader(async () => {
      let data;
      try {
        data = await getJson('/api/calls/' + encodeURIComponent(callId));
      } catch (e) {
        if (e.status === 404) {
          loaded = false;
          call = null;
          clearAll();
          clearError();
          showNotice('Call ' + callId + ' is not held (calls, live or ended, are kept for two hours after their last event).', 'not-found');
          return;
        }
        throw e;
      }
      clearNotice();
      clearError();
      call = data && data.call ? data.call : null;
      loaded = true;
      for (const ev of Array.isArray(data && data.events) ? data.events : []) {
        if (String(ev.callId ?? callId) === callId) insertEvent(ev);
      }
      renderHeader();
      updateEmpty();
      queueChart();
    });

    window.addEventListener('resize', queueChart);
    return { loader, onCall, onUtterance };
  }

  async function callPage() {
    if (callPage.started) return;
    callPage.started = true;
    const callId = new URLSearchParams(window.location.search).get('id');
    await loadConfig();
    if (authFailed) return;
    if (!callId) {
      setConnection('offline');
      showNotice('No call chosen: go back to the wallboard and pick one.', 'no-call');
      return;
    }
    $('call-id').textContent = callId;
    document.title = callId + ' – ' + config.title;
    const page = callPageView(callId);
    stream = openStream({
      call: page.loader.gate(page.onCall),
      utterance: page.loader.gate(page.onUtterance),
    }, page.loader.run);
    await page.loader.run();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------------------------------------

  window.Dashboard = Object.freeze({ wallboard, callPage });

  function start() {
    const page = document.body ? document.body.dataset.page : null;
    if (page === 'wallboard') wallboard();
    else if (page === 'call') callPage();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
