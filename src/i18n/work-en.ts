import type { workUk } from './work-uk'

export const workEn: typeof workUk = {
  refused: {
    missing: 'Your browser did not complete the anti-spam check. Reload the page and try again.',
    malformed: 'The anti-spam check is damaged. Reload the page and try again.',
    'wrong-purpose':
      'This anti-spam check was made for another action. Reload the page and try again.',
    expired: 'The anti-spam check has expired. Please try again.',
    insufficient: 'The anti-spam check is not complete. Reload the page and try again.',
    reused: 'This anti-spam check was already used. Try again: the browser will do a new one.',
  },
  busy: 'Too many requests without JavaScript are arriving right now. Try again in {s} s, or turn JavaScript on. Nothing you typed is lost.',
  honeypotLabel: 'Leave this field empty',
  honeypotFilled:
    'The form was not sent: the field “Leave this field empty” must be empty. Clear it and send again.',
}
