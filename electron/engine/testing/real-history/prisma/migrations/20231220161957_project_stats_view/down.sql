DROP VIEW "ProjectTaskCount";
