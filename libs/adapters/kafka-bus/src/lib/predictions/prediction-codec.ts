import type { Message } from 'kafkajs';

import type { PredictionOutcome, PredictionRequest } from '@ml-run/prediction-contract';

// Both messages are JSON keyed by the prediction id. Decoding checks the shape: a topic is
// written by processes we do not fully trust (an outcome topic by the model's own replicas).

export function requestMessageOf(request: PredictionRequest): Message {
  return { key: request.id, value: JSON.stringify(request) };
}

export function outcomeMessageOf(outcome: PredictionOutcome): Message {
  return { key: outcome.id, value: JSON.stringify(outcome) };
}

export function decodeRequest(value: Buffer | null): PredictionRequest | undefined {
  const parsed = parseObject(value);
  if (!parsed) return undefined;
  const { id, model, input, acceptedAt } = parsed;
  if (typeof id !== 'string' || typeof model !== 'string') return undefined;
  if (typeof input !== 'string' || typeof acceptedAt !== 'string') return undefined;
  return { id, model, input, acceptedAt };
}

export function decodeOutcome(value: Buffer | null): PredictionOutcome | undefined {
  const parsed = parseObject(value);
  if (!parsed) return undefined;
  const { id, model, version, status, output, error, completedAt } = parsed;
  if (typeof id !== 'string' || typeof model !== 'string') return undefined;
  if (typeof version !== 'string' || typeof completedAt !== 'string') return undefined;
  if (status === 'succeeded' && typeof output === 'string') {
    return { id, model, version, status, output, completedAt };
  }
  if (status === 'failed' && isError(error)) {
    return {
      id,
      model,
      version,
      status,
      error: { code: error.code, message: error.message },
      completedAt,
    };
  }
  return undefined;
}

function parseObject(value: Buffer | null): Record<string, unknown> | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isError(value: unknown): value is { code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}
