import { analysisSchema, type AnalysisQueryInput } from '@shared/console/analysis';
import { http } from './http';

/** The cross-hall analysis of central's console API, its answer checked against the shared contract. */
export const analysisApi = {
  analysis: (query: AnalysisQueryInput) => http('GET', '/analysis', analysisSchema, { query }),
};
