import type { Matter } from '@shared/api';
import type { HallCalendars } from '../casework/hall-calendar';
import type { Tx } from '../db/pool';
import { noticeStore, type NoticeToQueue } from '../notices/notice-store';
import { profileStore, type HistoryLine } from '../store/profile-store';

export interface BatchMark {
  history: number;
  notices: number;
}

/**
 * What the appliers of one push batch share, to spare round trips a mutation. Reads of rows nothing in a
 * push changes are kept for the rest of the batch: a device's applicant record, once linked, keeps its
 * profile; the catalog and the calendars are written by central's administrators only. The profiles'
 * history lines and the cases' notices, which no applier reads, are written together after the batch's
 * last applier.
 */
export class BatchScope {
  /** A device's applicant record → its profile, once known. */
  readonly profileOfApplicant = new Map<string, string>();
  /** `<hallId> <matterCode>` → the matter as the hall's devices hold it. */
  readonly matters = new Map<string, Matter | undefined>();
  /** The halls' working-day calendars, once read (holidays and time zones: administrators' alone). */
  calendars: HallCalendars | undefined;
  private history: HistoryLine[] = [];
  private notices: NoticeToQueue[] = [];

  addHistory(line: HistoryLine): void {
    this.history.push(line);
  }

  addNotice(notice: NoticeToQueue): void {
    this.notices.push(notice);
  }

  /** Where a savepoint was taken, for `rollbackTo`. */
  mark(): BatchMark {
    return { history: this.history.length, notices: this.notices.length };
  }

  /**
   * The savepoint taken at `mark` was rolled back: its lines and notices go, and a kept read may have been
   * of its rows.
   */
  rollbackTo(mark: BatchMark): void {
    this.history.length = mark.history;
    this.notices.length = mark.notices;
    this.profileOfApplicant.clear();
    this.matters.clear();
    this.calendars = undefined;
  }

  /** Before the batch's log is written, in its transaction. */
  async finish(tx: Tx): Promise<void> {
    if (this.history.length > 0) await profileStore.addHistories(tx, this.history);
    if (this.notices.length > 0) await noticeStore.enqueueAll(tx, this.notices);
  }
}
