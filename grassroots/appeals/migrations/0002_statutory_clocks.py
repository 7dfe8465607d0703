
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0001_initial'),
        ('workcal', '0003_law_bounds_and_pause_grounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='pause',
            options={'ordering': ['first_day', 'id']},
        ),
        migrations.AddField(
            model_name='appeal',
            name='id_digest',
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name='appeal',
            name='new_matter_reason',
            field=models.TextField(blank=True, verbose_name='新的事实和理由'),
        ),
        migrations.AddField(
            model_name='appeal',
            name='phone_digest',
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name='appeal',
            name='redirect_organ',
            field=models.CharField(blank=True, max_length=100, verbose_name='有权处理的机关'),
        ),
        migrations.AddField(
            model_name='appeal',
            name='redirect_route',
            field=models.CharField(blank=True, choices=[('organ', '向有权处理的机关、单位提出（第二十三条）'), ('handled', '已由其他机关、单位受理或正在办理（第十九条）'), ('litigation', '通过诉讼程序解决（第三十一条第一项）'), ('arbitration', '通过仲裁解决（第三十一条第二项）'), ('party', '通过党员申诉、申请复审等解决（第三十一条第三项）'), ('administrative', '通过行政复议、行政裁决等行政程序解决（第三十一条第四项）'), ('discipline', '向纪检监察机关检举控告（第二十二条）'), ('final', '已复核终结，不再受理（第三十六条）')], max_length=16, verbose_name='处理途径'),
        ),
        migrations.AddField(
            model_name='pause',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='pause',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='pause',
            name='ground',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workcal.pauseground', verbose_name='中止事由'),
        ),
        migrations.AddField(
            model_name='pause',
            name='requested_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name='pause',
            name='requested_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='pause',
            name='state',
            field=models.CharField(choices=[('approved', '生效'), ('pending', '待督办员同意'), ('rejected', '未同意')], default='approved', max_length=10),
        ),
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(choices=[('register', '登记'), ('not_accept', '不予受理'), ('dispatch', '交办'), ('object', '提出交办异议'), ('objection_upheld', '异议成立，退回'), ('objection_rejected', '异议不成立，维持交办'), ('inform', '受理告知'), ('handle', '办理记录'), ('extension_request', '申请延期'), ('extension_approved', '批准延期'), ('extension_rejected', '不批准延期'), ('pause', '期限中止'), ('pause_request', '申请补记期限中止'), ('pause_rejected', '不同意补记期限中止'), ('overdue', '超过期限'), ('delivery', '送达'), ('request_refused', '申请未受理'), ('request_reopened', '重新受理申请'), ('reply', '书面答复'), ('rate', '群众评价'), ('review_request', '申请复查'), ('review_decision', '复查意见'), ('recheck_request', '申请复核'), ('recheck_decision', '复核意见'), ('close', '办结'), ('duplicate', '认定重复件'), ('supervise', '督办'), ('deadline_recomputed', '期限重算'), ('categorize', '确定分类')], max_length=24),
        ),
        migrations.AlterField(
            model_name='pause',
            name='first_day',
            field=models.DateField(verbose_name='中止开始日'),
        ),
        migrations.AlterField(
            model_name='pause',
            name='last_day',
            field=models.DateField(verbose_name='中止结束日'),
        ),
        migrations.AlterField(
            model_name='pause',
            name='reason',
            field=models.CharField(max_length=200, verbose_name='说明'),
        ),
        migrations.CreateModel(
            name='Clock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule', models.CharField(max_length=30, verbose_name='时限')),
                ('days', models.PositiveSmallIntegerField(verbose_name='天数')),
                ('working', models.BooleanField(verbose_name='按工作日计算')),
                ('basis', models.CharField(blank=True, max_length=100, verbose_name='依据')),
                ('start', models.DateField(blank=True, null=True, verbose_name='起算日')),
                ('extension_days', models.PositiveSmallIntegerField(default=0, verbose_name='延长天数')),
                ('extension_from_expiry', models.BooleanField(default=True)),
                ('due', models.DateField(blank=True, null=True, verbose_name='届满日')),
                ('provisional', models.BooleanField(default=False, verbose_name='暂定')),
                ('latest_due', models.DateField(blank=True, null=True, verbose_name='最迟可能届满日')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('stopped_at', models.DateTimeField(blank=True, null=True)),
                ('appeal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clocks', to='appeals.appeal')),
            ],
            options={
                'ordering': ['started_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='appeal',
            name='clock',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='appeals.clock', verbose_name='当前时限'),
        ),
        migrations.AddField(
            model_name='pause',
            name='clock',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='pauses', to='appeals.clock'),
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('document', models.CharField(choices=[('reply', '书面答复意见'), ('review', '复查意见'), ('recheck', '复核意见')], max_length=10, verbose_name='文书')),
                ('method', models.CharField(choices=[('portal', '网上查阅'), ('sms', '短信送达'), ('post', '邮寄送达'), ('in_person', '当面送达')], max_length=10, verbose_name='送达方式')),
                ('delivered_on', models.DateField(verbose_name='送达日期')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('appeal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='appeals.appeal')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['delivered_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DoubtfulRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(max_length=8)),
                ('outcome', models.CharField(choices=[('refused_late', '以超过期限为由未受理'), ('provisional', '按暂定期限受理'), ('no_organ', '未配置复查（复核）机关，未受理')], max_length=14, verbose_name='处理')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='申请时间')),
                ('window_due', models.DateField(blank=True, null=True, verbose_name='当时计算的届满日')),
                ('reason', models.TextField(verbose_name='申请理由')),
                ('needs_attention', models.BooleanField(db_index=True, default=False, verbose_name='待重新审查')),
                ('attention_note', models.CharField(blank=True, max_length=300)),
                ('resolution', models.CharField(blank=True, choices=[('reopened', '已重新受理'), ('confirmed', '维持原处理')], max_length=10)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('resolution_note', models.CharField(blank=True, max_length=500)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('appeal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='doubtful_requests', to='appeals.appeal')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('window', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='appeals.clock')),
            ],
            options={
                'ordering': ['requested_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Overdue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due', models.DateField(verbose_name='届满日')),
                ('provisional', models.BooleanField(default=False, verbose_name='按暂定期限')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='结束日')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('appeal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='overdue_periods', to='appeals.appeal')),
                ('clock', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='overdue_periods', to='appeals.clock')),
            ],
            options={
                'ordering': ['due', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='clock',
            index=models.Index(fields=['stopped_at', 'due'], name='appeals_clock_running_due'),
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.UniqueConstraint(condition=models.Q(('method', 'portal')), fields=('appeal', 'document'), name='one_portal_view_per_document'),
        ),
        migrations.AddConstraint(
            model_name='overdue',
            constraint=models.UniqueConstraint(fields=('clock', 'due'), name='one_overdue_per_limit'),
        ),
    ]
