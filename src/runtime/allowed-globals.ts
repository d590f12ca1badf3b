/**
 * The globals a lambda may read and still run unchanged in a worker thread or child process:
 * standard JavaScript, the Node globals every worker has, and the helpers transpilers inject
 * (`__name` from esbuild/tsx `keepNames`, which the worker shims).
 */

/** Names a self-contained lambda may reference without capturing anything. */
export const ALLOWED_GLOBALS: ReadonlySet<string> = new Set([
  // values
  'globalThis', 'undefined', 'NaN', 'Infinity',
  // functions
  'isNaN', 'isFinite', 'parseInt', 'parseFloat', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI',
  'decodeURI', 'escape', 'unescape', 'structuredClone', 'queueMicrotask', 'atob', 'btoa', 'fetch',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
  // namespaces and constructors
  'Math', 'JSON', 'Reflect', 'Atomics', 'Intl', 'console', 'performance', 'crypto', 'process',
  'Array', 'Object', 'Function', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Promise', 'Date', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'RegExp', 'Proxy', 'Iterator',
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'Buffer', 'AbortController', 'AbortSignal', 'Blob',
  'Event', 'EventTarget', 'MessageChannel', 'MessagePort', 'BroadcastChannel', 'Headers', 'Request', 'Response',
  'FormData', 'DOMException',
  // transpiler helpers (shimmed in workers)
  '__name',
]);
