import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { ConsoleApiError } from '../api/console-api-error';

/** Messages of the shared schemas' own refinements, by field, in the person's language. */
const CUSTOM: Record<string, string> = {
  'decision.reason': 'validation.reason',
  'decision.appealRoute': 'validation.appealRoute',
  'pickup.trackingNumber': 'validation.trackingNumber',
  note: 'validation.returnNote',
  answer: 'validation.answer',
  from: 'validation.fromAfterTo',
};

/** An action body sits under `act` in the request; the form's fields are named from inside it. */
const fieldOf = (path: readonly PropertyKey[]) =>
  path
    .map(String)
    .filter((p, i) => !(i === 0 && p === 'act'))
    .join('.');

/**
 * The field-level messages of one form: from the client's check with the shared schema before sending, and
 * from the server's `fields` when it refuses anyway. Each shows beside its field (el-form-item :error).
 * `custom` names the message of a form's own refinements by field (message keys), over the defaults.
 */
export function useFieldErrors(custom: Record<string, string> = {}) {
  const { t } = useI18n();
  const errors = ref<Record<string, string>>({});

  function message(issue: z.core.$ZodIssue, field: string): string {
    if (issue.code === 'too_big') return t('validation.tooLong', { max: Number(issue.maximum) });
    if (issue.code === 'too_small') return field === 'missing' ? t('validation.missing') : t('validation.required');
    if (issue.code === 'invalid_format' && field.endsWith('trackingNumber')) return t('validation.trackingFormat');
    if (field.endsWith('dueDate') || field === 'to') return t('validation.date');
    if (field.startsWith('missing.') && field.endsWith('.name')) return t('validation.itemName');
    if (field === 'departmentId') return t('validation.departmentId');
    if (issue.code === 'custom') {
      const key = custom[field] ?? CUSTOM[field];
      if (key) return t(key);
    }
    return t('validation.format');
  }

  /** Checks `input` with the shared schema: the parsed value, or undefined with the fields' messages set. */
  function check<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> | undefined {
    const parsed = schema.safeParse(input);
    if (parsed.success) {
      errors.value = {};
      return parsed.data;
    }
    const next: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      next[field] ??= message(issue, field);
    }
    errors.value = next;
    return undefined;
  }

  /** The server's field messages (a 400 with `fields`); true when there were any. */
  function fromServer(e: unknown): boolean {
    if (!(e instanceof ConsoleApiError) || Object.keys(e.fields).length === 0) return false;
    errors.value = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [fieldOf(k.split('.')), v]));
    return true;
  }

  const clear = () => {
    errors.value = {};
  };
  return { errors, check, fromServer, clear };
}
