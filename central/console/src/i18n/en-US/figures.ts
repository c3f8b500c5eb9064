import type zh from '../zh-CN/figures';

const en: typeof zh = {
  figures: {
    title: 'Rating figures',
    intro: 'Rectification and return-visit figures by the rating rules.',
    from: 'From',
    to: 'To',
    hall: 'Hall',
    allHalls: 'All halls',
    rectificationRate: 'Bad ratings rectified',
    returnVisitRate: 'Return visits made',
    namedReturnVisitRate: 'Named bad ratings revisited',
    appeals: 'Appeals',
    rectifiedOf: '{n} rectified of {d} bad',
    revisitedOf: '{n} revisited of {d} due',
    namedOf: '{n} revisited of {d} named',
    appealsOf: '{filed} filed, {upheld} upheld',
    ratings: '{n} ratings, {bad} bad',
    noData: 'No data',
    table: 'Figures',
  },
};
export default en;
