import { contextBridge, ipcRenderer } from 'electron';
import { exposeRoleBridge } from './expose-role-api';

exposeRoleBridge('counter', contextBridge, ipcRenderer);
