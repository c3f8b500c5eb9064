import type zh from '../zh-CN/session';

const en: typeof zh = {
  signIn: {
    title: 'Sign in to the central console',
    intro: 'Department handlers, supervisors and central staff sign in with login, password and authenticator code.',
    login: 'Login',
    password: 'Password',
    totp: 'Code',
    totpHint: 'The 6 digits your authenticator shows',
    submit: 'Sign in',
    expired: 'Your session has expired: sign in again',
    idle: 'Signed out after 30 minutes without activity: sign in again',
    signedOut: 'Signed out',
  },
};
export default en;
