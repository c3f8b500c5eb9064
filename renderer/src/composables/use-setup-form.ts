import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from '../components/element-feedback';
import { useErrorText } from '../components/use-error-text';
import { refusalReason, refusedFields } from '../components/admin/setup/invalid-fields';

/** A reason the core refuses with (e.g. PREFIX_TAKEN) shown as one sentence under the field it is about. */
export interface TakenRefusal<F extends string> {
  reason: string;
  field: F;
  messageKey: string;
}

/**
 * The errors and sending state of a hall setup form. `section` names its sentences
 * (`hallSetup.<section>.invalid.<field>`); `refusable` are the fields a core refusal can name (all by default).
 */
export function useSetupForm<F extends string>(opts: {
  section: string;
  fields: readonly F[];
  refusable?: readonly F[];
  taken?: TakenRefusal<F>;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const errors = ref({}) as Ref<Partial<Record<F, string>>>;
  const saving = ref(false);

  /** Puts each failed field's sentence under it; true when any failed. */
  function show(failed: F[]): boolean {
    errors.value = Object.fromEntries(failed.map((f) => [f, t(`hallSetup.${opts.section}.invalid.${f}`)])) as Partial<
      Record<F, string>
    >;
    return failed.length > 0;
  }

  /**
   * Runs a checked value's sending (and what follows it) while `saving`; a refusal puts the fields the core
   * names under them and says why in a message, or only the `taken` sentence when that is the reason.
   */
  async function submit(send: () => Promise<void>): Promise<void> {
    saving.value = true;
    try {
      await send();
    } catch (e) {
      if (opts.taken && refusalReason(e) === opts.taken.reason) {
        errors.value = { [opts.taken.field]: t(opts.taken.messageKey) } as Partial<Record<F, string>>;
        return;
      }
      show(refusedFields(e, opts.refusable ?? opts.fields));
      ElMessage.error(errorText(e));
    } finally {
      saving.value = false;
    }
  }

  return { errors, saving, show, submit };
}

/**
 * A form that either adds a row (filled from `blank`) or edits one (filled from a copy of it); either way the
 * errors of the previous attempt go.
 */
export function useSetupEditor<T extends object>(form: T, blank: () => T, errors: Ref<object>) {
  const editing = ref(false);
  function edit(copy: T) {
    Object.assign(form, copy);
    editing.value = true;
    errors.value = {};
  }
  function reset() {
    Object.assign(form, blank());
    editing.value = false;
    errors.value = {};
  }
  return { editing, edit, reset };
}
