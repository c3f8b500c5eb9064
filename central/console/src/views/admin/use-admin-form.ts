import { ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { ConsoleApiError } from '../../api/console-api-error';
import { useErrorText } from '../../composables/use-error-text';
import { useFieldErrors } from '../../composables/use-field-errors';

/** The message of each administration field, whatever its schema found wrong (it says what the field takes). */
const FIELD_MESSAGES: Record<string, string> = {
  code: 'admin.validation.hallCode',
  timeZone: 'admin.validation.timeZone',
  login: 'admin.validation.login',
  pin: 'admin.validation.pin',
  password: 'admin.validation.password',
  roles: 'admin.validation.roles',
  hallIds: 'admin.validation.rolesHalls',
  departmentIds: 'admin.validation.departments',
  leaderId: 'admin.validation.leaderId',
  ttlMinutes: 'admin.validation.ttl',
};
/** A change of these fields may settle what another field was refused for. */
const LINKED: Record<string, string[]> = { roles: ['hallIds', 'departmentIds'], role: ['leaderId'] };
/** Refusals that are about one field of the form. */
const FIELD_OF_CODE: Record<string, string> = { HALL_CODE_TAKEN: 'code', LOGIN_TAKEN: 'login' };

/**
 * One administration form's errors: each field's message beside it, from the shared schema before sending
 * or from central's refusal; anything else as one line for the form (`failure`). Given the form's values, a
 * field's message goes as soon as the person changes that field.
 */
export function useAdminForm(form?: Ref<Record<string, unknown>>) {
  const { t, te } = useI18n();
  const base = useFieldErrors();
  const errorText = useErrorText();
  const failure = ref('');
  const errors = base.errors;

  if (form) {
    let seen = { ...form.value };
    watch(
      form,
      (next) => {
        const changed = Object.keys(next).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(seen[k]));
        seen = { ...next };
        const gone = new Set(changed.flatMap((k) => [k, ...(LINKED[k] ?? [])]));
        if ([...gone].some((k) => k in errors.value)) {
          errors.value = Object.fromEntries(Object.entries(errors.value).filter(([k]) => !gone.has(k)));
        }
      },
      { deep: true },
    );
  }

  /** One message per top-level field (a list's item speaks for its list), in the person's language. */
  function name() {
    const next: Record<string, string> = {};
    for (const [path, message] of Object.entries(errors.value)) {
      const field = path.split('.')[0]!;
      next[field] ??= FIELD_MESSAGES[field] ? t(FIELD_MESSAGES[field]) : message;
    }
    errors.value = next;
  }

  function check<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> | undefined {
    failure.value = '';
    const value = base.check(schema, input);
    if (value === undefined) name();
    return value;
  }

  /** Shows central's refusal where it belongs: beside a field, or for the whole form. */
  function refused(e: unknown) {
    failure.value = '';
    const field = e instanceof ConsoleApiError ? FIELD_OF_CODE[e.code] : undefined;
    if (field && e instanceof ConsoleApiError) {
      errors.value = { [field]: t(`admin.errors.${e.code}`) };
    } else if (base.fromServer(e)) {
      name();
    } else if (e instanceof ConsoleApiError && te(`admin.errors.${e.code}`)) {
      failure.value = t(`admin.errors.${e.code}`);
    } else {
      failure.value = errorText(e);
    }
  }

  const clear = () => {
    base.clear();
    failure.value = '';
  };
  return { errors, failure, check, refused, clear };
}
