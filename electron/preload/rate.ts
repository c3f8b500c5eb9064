import { contextBridge, ipcRenderer } from 'electron';
import { exposeRoleBridge } from './expose-role-api';

exposeRoleBridge('rate', contextBridge, ipcRenderer);
