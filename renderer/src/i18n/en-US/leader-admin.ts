import type zhCN from '../zh-CN/leader-admin';

const enUS: typeof zhCN = {
  storage: {
    refused:
      'This device has no OS keychain for its secrets (safeStorage: {backend}): they are kept with a built-in key, ' +
      'readable by whoever copies the data folder. To protect leader content, this device enrols no leader and ' +
      'neither imports nor syncs leader content. Run it where an OS keychain is available (GNOME Keyring, KWallet).',
  },
  title: 'Leader accounts and content',
  enrol: {
    title: 'Create a leader account',
    login: 'Login',
    name: 'Name',
    password: 'Initial password',
    passwordHint: 'At least {min} characters',
    invalid: {
      login:
        'The login needs {min} to {max} characters: a lower-case letter first, then lower-case letters, digits, . _ -',
      name: 'Enter the name (at most {max} characters)',
      password: 'The initial password needs {min} to {max} characters',
    },
    submit: 'Create account',
    done: 'Account {login} created. Have the leader scan this QR code with an authenticator app:',
    once: 'The QR code and secret are shown only this once and cannot be retrieved again.',
    secret: 'Secret to type in when scanning is not possible:',
    qrAlt: 'Authenticator QR code',
    hide: 'Scanned, close',
  },
  import: {
    title: 'Import leader content',
    hint: 'Choose a content bundle from central (a JSON file, at most 32 MB): schedules, briefings and confidential files, updated by id.',
    choose: 'Choose a bundle…',
    done: 'Imported {schedules} schedule items, {briefings} briefings, {files} files; {removed} withdrawn',
  },
  reasons: {
    login_taken: 'This login exists already',
    leader_storage_insecure: 'This device has no OS keychain: it cannot keep leader content',
    leader_not_found: 'The leader named in the bundle has no account; create it first',
    id_taken: 'An id in the bundle belongs to other content',
    file_empty: 'A file in the bundle is empty',
    file_too_large: 'A file in the bundle is larger than 20 MB',
    file_type_mismatch: 'A file in the bundle is not what its type says',
    invalid_field: 'The bundle is malformed at: {where}',
    not_json: 'The chosen file is not a valid JSON content bundle',
    bundle_too_large: 'The bundle is larger than {mb} MB; import it in parts',
  },
};
export default enUS;
