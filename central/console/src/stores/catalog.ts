import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  CatalogScope,
  CatalogWithdraw,
  DepartmentRow,
  DepartmentWrite,
  MatterListQuery,
  MatterPage,
  MatterRow,
  MatterWrite,
} from '@shared/console/catalog';
import { catalogApi } from '../api/catalog-api';

export type MatterFilter = Partial<Omit<MatterListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

/** The matter catalog: departments of a scope, a page of matters, and their writes (each answers the row). */
export const useCatalogStore = defineStore('catalog', () => {
  const departments = ref<DepartmentRow[]>([]);
  const departmentsError = ref<unknown>(null);
  const page = ref<MatterPage | null>(null);
  const pageLoading = ref(false);
  const pageError = ref<unknown>(null);
  let pageSeq = 0;
  let departmentsSeq = 0;

  async function loadDepartments(scope: CatalogScope) {
    const seq = ++departmentsSeq;
    try {
      const rows = await catalogApi.departments(scope);
      if (seq !== departmentsSeq) return;
      departments.value = rows;
      departmentsError.value = null;
    } catch (e) {
      if (seq === departmentsSeq) departmentsError.value = e;
    }
  }

  async function loadMatters(filter: MatterFilter) {
    const seq = ++pageSeq;
    pageLoading.value = true;
    try {
      const next = await catalogApi.matters(filter);
      if (seq !== pageSeq) return;
      page.value = next;
      pageError.value = null;
    } catch (e) {
      if (seq === pageSeq) pageError.value = e;
    } finally {
      if (seq === pageSeq) pageLoading.value = false;
    }
  }

  const matter = (code: string, scope: string): Promise<MatterRow> => catalogApi.matter(code, scope);
  const writeMatter = (body: MatterWrite) => catalogApi.writeMatter(body);
  const withdrawMatter = (code: string, body: CatalogWithdraw) => catalogApi.withdrawMatter(code, body);
  const writeDepartment = (body: DepartmentWrite) => catalogApi.writeDepartment(body);
  const withdrawDepartment = (departmentId: string, body: CatalogWithdraw) =>
    catalogApi.withdrawDepartment(departmentId, body);

  return {
    departments,
    departmentsError,
    page,
    pageLoading,
    pageError,
    loadDepartments,
    loadMatters,
    matter,
    writeMatter,
    withdrawMatter,
    writeDepartment,
    withdrawDepartment,
  };
});
